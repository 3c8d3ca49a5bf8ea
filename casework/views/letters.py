"""Letters: managers' templates, one young person's letter, and the day's batch."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.http import KaaRequest
from registry.models import Enrolment, Municipality, User
from registry.permissions import CASE_ROLES, MANAGER_ROLES, role_required

from .. import letters
from ..forms.letters import LetterheadForm, LetterKindForm, LetterTemplateForm
from ..models import LetterBatch, LetterKind, LetterPrintJob
from ..selectors.enrolments import printable_enrolments, visible_enrolment
from ..services import letter_jobs, letter_print
from ..services import letters as letter_services


def _user(request: KaaRequest) -> User:
    return request.user


def _municipality(request: KaaRequest) -> Municipality:
    # role_required lets through only users with a municipality.
    return cast(Municipality, _user(request).municipality)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # A letter holds personal data: never keep it in a shared cache.
    response["Cache-Control"] = "no-store"
    return response


# --- managers: templates and letterhead -----------------------------------------------------


@role_required(*MANAGER_ROLES)
def letter_templates(request: KaaRequest) -> HttpResponse:
    municipality = _municipality(request)
    templates = letter_services.letter_templates_for(municipality)
    letterhead = letter_services.letterhead_for(municipality)
    form = LetterheadForm(request.POST or None, instance=letterhead)
    if request.method == "POST" and form.is_valid():
        letter_services.letterhead_update(
            user=_user(request),
            letterhead=letterhead,
            data=form.cleaned_data,
        )
        messages.success(request, _("Brevhuvudet är sparat."))
        return redirect("casework:letter_templates")
    return render(
        request,
        "casework/letters/templates.html",
        {
            "templates": [templates[kind] for kind in letters.KINDS],
            "letterhead_form": form,
            "letterhead": letterhead,
            "placeholders": letters.PLACEHOLDERS,
        },
    )


@role_required(*MANAGER_ROLES)
def letter_template_edit(request: KaaRequest, kind: str) -> HttpResponse:
    if kind not in letters.KINDS:
        raise Http404
    municipality = _municipality(request)
    template = letter_services.letter_templates_for(municipality)[kind]
    form = LetterTemplateForm(request.POST or None, instance=template)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            # Preview with invented values; nothing is saved.
            letterhead = letter_services.letterhead_for(municipality)
            preview = letters.render_letter(
                kind=kind,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                values=letter_services.sample_values(
                    municipality=municipality,
                    letterhead=letterhead,
                    today=timezone.localdate(),
                ),
            )
        else:
            letter_services.letter_template_update(
                user=_user(request),
                template=template,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            messages.success(request, _("Brevmallen är sparad."))
            return redirect("casework:letter_templates")
    context = {
        "template": template,
        "form": form,
        "preview": preview,
        "placeholders": letters.PLACEHOLDERS,
        "history": template.history.select_related("history_user")[:10],
    }
    if request.htmx and request.POST.get("action") == "preview":
        return render(request, "casework/partials/letter_preview.html", context)
    return render(request, "casework/letters/template_edit.html", context)


# --- one young person's letter ------------------------------------------------------------


@role_required(*CASE_ROLES)
def letter_pdf(request: KaaRequest, pk: int) -> HttpResponse:
    enrolment = _visible(request, pk, ("youth", "coordinator", "municipality"))
    form = LetterKindForm(request.GET if "kind" in request.GET else None)
    if not form.is_valid():
        return render(
            request,
            "casework/letters/choose.html",
            {"enrolment": enrolment, "youth": enrolment.youth, "form": form},
        )
    kind = form.cleaned_data["kind"]
    pdf = letter_services.letter_pdf_for_enrolment(
        user=_user(request),
        enrolment=enrolment,
        kind=kind,
        today=timezone.localdate(),
        request=request,
    )
    return _pdf_response(pdf, f"brev-{kind}-{enrolment.pk}.pdf")


@require_POST
@role_required(*CASE_ROLES)
def letter_sent(request: KaaRequest, pk: int) -> HttpResponse:
    """Confirm that one printed letter was sent: it is logged as a contact attempt."""
    enrolment = _visible(request, pk, ("youth",))
    back = reverse("casework:enrolment_contacts", args=[enrolment.pk])
    url = request.POST.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        back = url
    form = LetterKindForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj vilket brev som skickades."))
        return redirect(back)
    kind = form.cleaned_data["kind"]
    if kind == letters.INFO_SHEET:
        # Left by hand at a home visit: that visit is the attempt to log.
        messages.error(
            request,
            _(
                "Informationsbladet lämnas vid ett hembesök: logga hembesöket med utfallet "
                "”Informationsblad lämnat”."
            ),
        )
        return redirect(back)
    try:
        letter_services.letter_sent_record(
            user=_user(request), enrolment=enrolment, kind=kind, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        _("%(letter)s till %(name)s är loggat som kontaktförsök.")
        % {"letter": LetterKind(kind).label, "name": enrolment.youth.full_name},
    )
    return redirect(back)


# --- the day's letters --------------------------------------------------------------------


@role_required(*CASE_ROLES)
def letters_batch(request: KaaRequest) -> HttpResponse:
    today = timezone.localdate()
    user = _user(request)
    if request.method == "POST":
        # The page's form sends "choose" with the ticked boxes; without it, every letter due.
        chosen = None
        if "choose" in request.POST:
            chosen = [int(v) for v in request.POST.getlist("enrolment") if v.isdigit()]
        try:
            # The PDF is built in the background; the batch's page shows its progress.
            batch = letter_jobs.letter_batch_print(user=user, today=today, enrolment_ids=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("casework:letters_batch")
        return redirect("casework:letters_batch_detail", pk=batch.pk)
    due = letter_services.letters_due(user=user, today=today)
    return render(
        request,
        "casework/letters/batch.html",
        {
            "today": today,
            "printable": [d for d in due if not d.protected_identity],
            "manual": [d for d in due if d.protected_identity],
            "recent": letter_services.letter_batches_for(user)[:5],
            "letterhead": letter_services.letterhead_for(_municipality(request)),
        },
    )


def _visible(request: KaaRequest, pk: int, related: tuple[str, ...]) -> Enrolment:
    enrolment = visible_enrolment(user=_user(request), pk=pk, related=related)
    if enrolment is None:
        raise Http404
    return enrolment


def _own_batch(request: KaaRequest, pk: int) -> LetterBatch:
    return get_object_or_404(
        letter_services.letter_batches_for(_user(request)).select_related(
            "municipality", "confirmed_by", "print_job"
        ),
        pk=pk,
    )


def _print_job(batch: LetterBatch) -> LetterPrintJob | None:
    return getattr(batch, "print_job", None)


@role_required(*CASE_ROLES)
def letters_batch_detail(request: KaaRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    enrolments = printable_enrolments(user=_user(request), ids=batch.enrolment_ids)
    rows = [
        (enrolments[item["enrolment"]], LetterKind(item["kind"]).label)
        for item in batch.items
        if item["enrolment"] in enrolments
    ]
    return render(
        request,
        "casework/letters/batch_detail.html",
        {"batch": batch, "rows": rows, "job": _print_job(batch)},
    )


@role_required(*CASE_ROLES)
def letters_batch_status(request: KaaRequest, pk: int) -> HttpResponse:
    """The PDF's progress ("x av y"), polled by the batch's page every couple of seconds."""
    batch = _own_batch(request, pk)
    return render(
        request,
        "casework/partials/letter_print_status.html",
        {"batch": batch, "job": _print_job(batch)},
    )


@require_POST
@role_required(*CASE_ROLES)
def letters_batch_print(request: KaaRequest, pk: int) -> HttpResponse:
    """Build the batch's PDF (again): after a failure, or for a batch made before PDFs were kept."""
    batch = _own_batch(request, pk)
    letter_jobs.letter_print_request(user=_user(request), batch=batch)
    return redirect("casework:letters_batch_detail", pk=batch.pk)


@role_required(*CASE_ROLES)
def letters_batch_pdf(request: KaaRequest, pk: int) -> HttpResponse:
    """The stored PDF, for the batch's creator only (``letter_batches_for``)."""
    batch = _own_batch(request, pk)
    job = _print_job(batch)
    try:
        if job is None:
            raise ValidationError(_("PDF:en är inte skapad än."))
        pdf = letter_print.letter_print_download(user=_user(request), job=job, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("casework:letters_batch_detail", pk=batch.pk)
    return _pdf_response(pdf, f"brev-{batch.printed_on.isoformat()}-{batch.pk}.pdf")


@role_required(*CASE_ROLES)
@require_POST
def letters_batch_confirm(request: KaaRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    result = letter_services.letter_batch_confirm(user=_user(request), batch=batch)
    if result.already_confirmed:
        messages.info(request, _("Utskicket var redan bekräftat. Inga nya kontaktförsök loggades."))
    else:
        messages.success(
            request,
            _("%(count)s brev loggades som kontaktförsök.") % {"count": len(result.logged)},
        )
        for name, reason in result.skipped:
            messages.warning(
                request,
                _("Inte loggat för %(name)s: %(reason)s") % {"name": name, "reason": reason},
            )
    return redirect("casework:letters_batch_detail", pk=batch.pk)
