"""Logging and editing contact attempts; the contact page of one enrolment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.access_log import access_log_read
from registry.forms import add_service_errors
from registry.http import KaaRequest
from registry.models import Enrolment
from registry.permissions import CASE_ROLES, role_required

from ..forms.contacts import ContactAttemptForm
from ..routine_text import step_label
from ..selectors.enrolments import contact_attempt_for_user, routine_state_of, visible_enrolment
from ..selectors.worklist import worklist_count, worklist_item, worklist_items
from ..services.contacts import contact_attempt_record, contact_attempt_update
from .worklist import row_choices, row_form

ORIGIN_WORKLIST = "worklist"


def _visible_enrolment(request: KaaRequest, pk: int) -> Enrolment:
    enrolment = visible_enrolment(user=request.user, pk=pk)
    if enrolment is None:
        raise Http404
    return enrolment


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def _save(form: ContactAttemptForm, save) -> bool:
    """Validate the form, then call the service; its refusals become form errors."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@role_required(*CASE_ROLES)
def enrolment_contacts(request: KaaRequest, pk: int) -> HttpResponse:
    enrolment = _visible_enrolment(request, pk)
    access_log_read(request, enrolment.youth)
    return render(
        request,
        "casework/enrolment_contacts.html",
        {"enrolment": enrolment, "youth": enrolment.youth},
    )


@require_POST
@role_required(*CASE_ROLES)
def contact_create(request: KaaRequest, pk: int) -> HttpResponse:
    enrolment = _visible_enrolment(request, pk)
    from_worklist = request.POST.get("origin") == ORIGIN_WORKLIST
    form = (
        row_form(enrolment.pk, request.POST)
        if from_worklist
        else ContactAttemptForm(request.POST, auto_id=f"id_contact_{enrolment.pk}_%s")
    )
    saved = _save(
        form,
        lambda data: contact_attempt_record(user=request.user, enrolment=enrolment, **data),
    )
    if request.htmx:
        if from_worklist:
            return _worklist_row(request, enrolment, form, saved)
        # htmx swaps only 2xx answers: the section comes back with the errors shown.
        return render(
            request,
            "casework/partials/enrolment_contact_section.html",
            {
                "enrolment": enrolment,
                "youth": enrolment.youth,
                "contact_form": None if saved else form,
                "saved": saved,
            },
        )
    if saved:
        messages.success(
            request,
            _("Kontaktförsöket för %(name)s är registrerat.") % {"name": enrolment.youth},
        )
        return redirect(_next_url(request, enrolment_contacts_url(enrolment)))
    return render(
        request,
        "casework/enrolment_contacts.html",
        {"enrolment": enrolment, "youth": enrolment.youth, "contact_form": form},
        status=400,
    )


def enrolment_contacts_url(enrolment: Enrolment) -> str:
    return reverse("casework:enrolment_contacts", args=[enrolment.pk])


def _worklist_row(
    request: KaaRequest, enrolment: Enrolment, form: ContactAttemptForm, saved: bool
) -> HttpResponse:
    """The worklist row after an inline log: the step still due, or a note that it is done."""
    today = timezone.localdate()
    user = request.user
    state = worklist_items(user=user, as_of=today).filter(enrolment=enrolment).first()
    context = {
        "enrolment": enrolment,
        "youth": enrolment.youth,
        "saved": saved,
        "count": worklist_count(user=user, as_of=today),
        "choices": row_choices(),
    }
    if state is not None:
        context["row"] = {
            "item": worklist_item(state, today),
            "form": None if saved else form,
        }
    else:
        next_state = routine_state_of(enrolment)
        context["next_step_label"] = (
            step_label(next_state.next_step) if next_state and next_state.next_step else ""
        )
        context["next_due"] = next_state.next_due if next_state else None
    return render(request, "casework/partials/worklist_row_result.html", context)


@role_required(*CASE_ROLES)
def contact_update(request: KaaRequest, pk: int) -> HttpResponse:
    attempt = contact_attempt_for_user(user=request.user, pk=pk)
    if attempt is None:
        raise Http404
    enrolment = attempt.enrolment
    form = ContactAttemptForm(
        request.POST or None, instance=attempt, auto_id=f"id_attempt_{attempt.pk}_%s"
    )
    if request.method == "POST" and _save(
        form,
        lambda data: contact_attempt_update(user=request.user, attempt=attempt, **data),
    ):
        messages.success(request, _("Kontaktförsöket är ändrat."))
        return redirect(_next_url(request, enrolment_contacts_url(enrolment)))
    # The edit page shows the young person's attempt: a read of the record.
    access_log_read(request, enrolment.youth)
    return render(
        request,
        "casework/contact_edit.html",
        {
            "form": form,
            "attempt": attempt,
            "enrolment": enrolment,
            "youth": enrolment.youth,
            "next_url": _next_url(request, ""),
        },
    )
