"""Incoming moves (register, dismiss) and the letter for a move off the installation.

docs/domain.md, "Regions and moves".
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import move_selectors, selectors, services
from ..forms import DATE_WIDGET
from ..http import KaaRequest
from ..models import AccessLog, MoveNotification
from ..move_letter import move_letter_render
from ..permissions import CASE_ROLES, role_required
from .common import add_service_errors


class MoveRegisterForm(forms.Form):
    registered_on = forms.DateField(label=gettext_lazy("Inskriven"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = timezone.localdate()


class MoveDismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Ange ett skäl till att flyttanmälan avfärdas.")},
    )


def _already_handled(request: HttpRequest, move: MoveNotification) -> HttpResponse:
    messages.error(
        request,
        _("Flyttanmälan är redan hanterad (%(status)s).") % {"status": move.get_status_display()},
    )
    return redirect("casework:worklist")


def _page(
    request: KaaRequest, move: MoveNotification, template: str, form: forms.Form
) -> HttpResponse:
    services.move_reads_record(
        user=request.user,
        notifications=[move],
        action=services.MOVE_READ_VIEW,
        request=request,
    )
    return render(request, template, {"move": move, "form": form})


@role_required(*CASE_ROLES)
def move_register(request: KaaRequest, pk: int) -> HttpResponse:
    user = request.user
    move = move_selectors.move_get(user=user, pk=pk)
    if not move.is_pending:
        return _already_handled(request, move)
    form = MoveRegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _enrolment, youth, _created = services.move_register(
                user=user,
                notification=move,
                registered_on=form.cleaned_data["registered_on"],
            )
        except services.MoveAlreadyHandled:
            move.refresh_from_db()
            return _already_handled(request, move)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s är inskriven som inflyttad.") % {"name": youth.full_name},
            )
            return redirect("registry:youth_detail", pk=youth.pk)
    return _page(request, move, "registry/move_register.html", form)


@role_required(*CASE_ROLES)
def move_dismiss(request: KaaRequest, pk: int) -> HttpResponse:
    user = request.user
    move = move_selectors.move_get(user=user, pk=pk)
    if not move.is_pending:
        return _already_handled(request, move)
    form = MoveDismissForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_dismiss(
                user=user,
                notification=move,
                reason=form.cleaned_data["reason"],
            )
        except services.MoveAlreadyHandled:
            move.refresh_from_db()
            return _already_handled(request, move)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Flyttanmälan är avfärdad."))
            return redirect("casework:worklist")
    return _page(request, move, "registry/move_dismiss.html", form)


@role_required(*CASE_ROLES)
def move_letter_pdf(request: KaaRequest, pk: int) -> HttpResponse:
    """The letter to a municipality not on this installation (404 for any other end)."""
    user = request.user
    enrolment = selectors.enrolment_get(user=user, pk=pk)
    if services.move_status(enrolment) != services.MOVE_NOT_ON_INSTALLATION:
        raise Http404
    today = timezone.localdate()
    pdf = move_letter_render(
        enrolment=enrolment,
        today=today,
        printed_by=user.get_full_name() or user.username,
    )
    services.access_log_record(
        user=user,
        youth=enrolment.youth,
        action=AccessLog.Action.PRINT,
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="flyttanmalan-{enrolment.moved_to}.pdf"'
    return response
