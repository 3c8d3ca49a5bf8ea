"""Register and end enrolments, record occupations, assign coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import municipalities as national
from .. import selectors, services
from ..forms import AssignCoordinatorForm, EnrolmentEndForm, EnrolmentForm, OccupationForm
from ..http import KaaRequest
from ..models import Enrolment, Role
from ..permissions import CASE_ROLES, MANAGER_ROLES, role_required
from .common import add_service_errors


@role_required(*CASE_ROLES)
def enrolment_create(request: KaaRequest, pk: int) -> HttpResponse:
    user = request.user
    youth = selectors.youth_get(user=user, pk=pk)
    form = EnrolmentForm(
        request.POST or None,
        coordinators=selectors.municipality_coordinators(user=user),
        initial={"coordinator": user.pk if user.role == Role.COORDINATOR else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_register(user=user, youth=youth, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Inskrivningen är registrerad."))
            return redirect("registry:youth_detail", pk=youth.pk)
    return render(request, "registry/enrolment_form.html", {"form": form, "youth": youth})


@role_required(*CASE_ROLES)
def enrolment_end(request: KaaRequest, pk: int) -> HttpResponse:
    user = request.user
    enrolment = selectors.enrolment_get(user=user, pk=pk)
    form = EnrolmentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ended = services.enrolment_end(user=user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Inskrivningen är avregistrerad."))
            _move_message(request, ended)
            return redirect("registry:youth_detail", pk=enrolment.youth_id)
    return render(
        request,
        "registry/enrolment_end.html",
        {
            "form": form,
            "enrolment": enrolment,
            "youth": enrolment.youth,
            "municipality_options": national.municipalities().items(),
        },
    )


def _move_message(request: HttpRequest, enrolment: Enrolment) -> None:
    status = services.move_status(enrolment)
    name = national.label(enrolment.moved_to)
    if status == services.MOVE_SENT:
        messages.info(request, _("En flyttanmälan har skickats till %(name)s.") % {"name": name})
    elif status == services.MOVE_NOT_ON_INSTALLATION:
        messages.warning(
            request,
            _(
                "%(name)s använder inte det här systemet. Skriv ut flyttbrevet och skicka det "
                "till kommunen."
            )
            % {"name": name},
        )


@role_required(*CASE_ROLES)
def occupation_create(request: KaaRequest, pk: int) -> HttpResponse:
    user = request.user
    enrolment = selectors.enrolment_get(user=user, pk=pk)
    form = OccupationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.occupation_record(user=user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sysselsättningen är registrerad."))
            return redirect("registry:youth_detail", pk=enrolment.youth_id)
    return render(
        request,
        "registry/occupation_form.html",
        {"form": form, "enrolment": enrolment, "youth": enrolment.youth},
    )


@require_POST
@role_required(*MANAGER_ROLES)
def enrolment_assign(request: KaaRequest, pk: int) -> HttpResponse:
    user = request.user
    enrolment = selectors.enrolment_get(user=user, pk=pk)
    form = AssignCoordinatorForm(
        request.POST,
        coordinators=selectors.municipality_coordinators(user=user),
    )
    if form.is_valid():
        try:
            services.enrolment_assign_coordinator(
                user=user,
                enrolment=enrolment,
                coordinator=form.cleaned_data["coordinator"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Koordinatorn är tilldelad."))
    else:
        messages.error(request, _("Välj en KAA-koordinator i listan."))
    return redirect("registry:youth_detail", pk=enrolment.youth_id)
