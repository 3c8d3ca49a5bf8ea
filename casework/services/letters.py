"""Letters: the municipality's templates and letterhead, letter PDFs and batch print runs.

Rules (docs/domain.md, "Contact attempts" and "Registration"):
- letters come from the municipality's own templates; the defaults are created on
  first use and managers edit them (history kept);
- nobody with protected identity gets an address printed: a single letter is
  printed without the address and marked for manual handling, and batches leave
  them out and list them instead;
- a batch logs a ``letter`` attempt per printed person only when the user
  confirms that the letters were sent, and only once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import AccessLog, Enrolment, Municipality, Role, User
from registry.models.youth import EnrolmentQuerySet

from .. import letters
from ..models import (
    Channel,
    ContactAttempt,
    LetterBatch,
    Letterhead,
    LetterKind,
    LetterTemplate,
    Outcome,
    Party,
)
from .contacts import contact_attempt_record


@dataclass(frozen=True)
class DueLetter:
    """A young person the routine says is due a letter today."""

    enrolment: Enrolment
    kind: str
    step: str
    due: datetime.date

    @property
    def protected_identity(self) -> bool:
        return self.enrolment.youth.protected_identity

    @property
    def kind_label(self) -> str:
        return str(LetterKind(self.kind).label)


@dataclass
class BatchConfirmation:
    already_confirmed: bool = False
    logged: list[Enrolment] = field(default_factory=list)
    # (name or enrolment id, Swedish reason) for each letter that could not be logged.
    skipped: list[tuple[str, str]] = field(default_factory=list)


# --- templates and letterhead -------------------------------------------------------------


def letter_templates_for(municipality: Municipality) -> dict[str, LetterTemplate]:
    """Every kind's template of the municipality, creating the default texts on first use."""
    templates = {t.kind: t for t in LetterTemplate.objects.filter(municipality=municipality)}
    for kind in letters.KINDS:
        if kind not in templates:
            subject, body = letters.DEFAULT_TEXTS[kind]
            templates[kind], _created = LetterTemplate.objects.get_or_create(
                municipality=municipality, kind=kind, defaults={"subject": subject, "body": body}
            )
    return templates


def letterhead_for(municipality: Municipality) -> Letterhead:
    letterhead, _created = Letterhead.objects.get_or_create(municipality=municipality)
    return letterhead


def _check_placeholders(subject: str, body: str) -> None:
    errors: dict[str, list[str]] = {}
    for name, text in (("subject", subject), ("body", body)):
        unknown = letters.unknown_placeholders(text)
        if unknown:
            errors[name] = [letters.unknown_placeholder_message(unknown)]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def letter_template_update(
    *, user: User, template: LetterTemplate, subject: str, body: str
) -> LetterTemplate:
    _check_placeholders(subject, body)
    template.subject = subject
    template.body = body
    template._history_user = user  # type: ignore[attr-defined]
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def letterhead_update(*, user: User, letterhead: Letterhead, data: dict[str, Any]) -> Letterhead:
    for name in ("sender", "address", "phone", "email"):
        if name in data:
            setattr(letterhead, name, data[name])
    letterhead._history_user = user  # type: ignore[attr-defined]
    letterhead.full_clean()
    letterhead.save()
    return letterhead


# --- rendering ------------------------------------------------------------------------------


def _coordinator_name(enrolment: Enrolment, letterhead: Letterhead) -> str:
    coordinator = enrolment.coordinator
    if coordinator is None:
        return letterhead.sender
    return coordinator.get_full_name() or coordinator.username


def letter_values(
    *, enrolment: Enrolment, letterhead: Letterhead, today: datetime.date
) -> letters.LetterValues:
    youth = enrolment.youth
    return letters.LetterValues(
        first_name=youth.first_name,
        last_name=youth.last_name,
        street=youth.street,
        postal_code=youth.postal_code,
        city=youth.city,
        coordinator=_coordinator_name(enrolment, letterhead),
        municipality=enrolment.municipality.name,
        phone=letterhead.phone,
        date=today,
        protected_identity=youth.protected_identity,
    )


def sample_values(
    *, municipality: Municipality, letterhead: Letterhead, today: datetime.date
) -> letters.LetterValues:
    """Invented values for a manager's preview of a template."""
    return letters.LetterValues(
        first_name="Alva",
        last_name="Exempelsson",
        street="Provgatan 12",
        postal_code="999 99",
        city=municipality.name,
        coordinator="Karin Koordinator",
        municipality=municipality.name,
        phone=letterhead.phone or "000-00 00 00",
        date=today,
    )


def render_for(
    *,
    template: LetterTemplate,
    values: letters.LetterValues,
) -> letters.RenderedLetter:
    try:
        return letters.render_letter(
            kind=template.kind, subject=template.subject, body=template.body, values=values
        )
    except letters.UnknownPlaceholder as error:
        # Saved templates are checked, so this only happens to a text edited elsewhere.
        raise ValidationError({"body": [str(error)]}) from error


def letters_pdf(
    *,
    rendered: list[letters.RenderedLetter],
    letterhead: Letterhead,
    municipality: Municipality,
) -> bytes:
    """One PDF, one page (or more) per letter."""
    from weasyprint import HTML  # imported here: loading WeasyPrint is slow

    html = render_to_string(
        "casework/letters/pdf.html",
        {"letters": rendered, "letterhead": letterhead, "municipality": municipality},
    )
    return HTML(string=html).write_pdf()


def log_print(*, user: User, youth_ids: list[int], request: HttpRequest | None) -> None:
    """Printing a letter reads the young person's record: log it (one insert for a batch)."""
    ip_address = request.META.get("REMOTE_ADDR") if request is not None else None
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user, youth_id=youth_id, action=AccessLog.Action.PRINT, ip_address=ip_address
        )
        for youth_id in youth_ids
    )


def letter_pdf_for_enrolment(
    *,
    user: User,
    enrolment: Enrolment,
    kind: str,
    today: datetime.date,
    request: HttpRequest | None = None,
) -> bytes:
    """One letter; for protected identity without the address, marked for manual handling."""
    municipality = enrolment.municipality
    template = letter_templates_for(municipality)[kind]
    letterhead = letterhead_for(municipality)
    rendered = render_for(
        template=template,
        values=letter_values(enrolment=enrolment, letterhead=letterhead, today=today),
    )
    pdf = letters_pdf(rendered=[rendered], letterhead=letterhead, municipality=municipality)
    log_print(user=user, youth_ids=[enrolment.youth_id], request=request)
    return pdf


@transaction.atomic
def letter_sent_record(
    *, user: User, enrolment: Enrolment, kind: str, today: datetime.date
) -> ContactAttempt:
    """The user confirms that one young person's letter was sent: a ``letter`` attempt.

    Printing a single letter logs nothing (docs/domain.md, "Contact attempts": letters are logged as
    attempts when sent, as a batch is on confirmation); this is that confirmation.
    """
    return contact_attempt_record(
        user=user,
        enrolment=enrolment,
        date=today,
        channel=Channel.LETTER,
        party=Party.YOUTH,
        outcome=Outcome.NOT_REACHED,
        note=_("%(letter)s skickat.") % {"letter": LetterKind(kind).label},
    )


# --- the day's letters and batches ---------------------------------------------------------


def letters_due_queryset(*, user: User, today: datetime.date) -> EnrolmentQuerySet:
    """Active enrolments whose routine step calls for a letter due today or earlier.

    A coordinator gets the young people assigned to them and the unassigned (as
    in the worklist); a manager gets everyone they may see.
    """
    queryset = (
        Enrolment.objects.visible_to(user)
        .active()
        .filter(
            routine_state__next_step__in=list(letters.LETTER_FOR_STEP),
            routine_state__next_due__lte=today,
        )
        .select_related("youth", "coordinator", "municipality", "routine_state")
        .order_by("routine_state__next_due", "youth__last_name", "youth__first_name", "pk")
    )
    if user.role == Role.COORDINATOR:
        queryset = queryset.filter(Q(coordinator=user) | Q(coordinator__isnull=True))
    return queryset


def letters_due(*, user: User, today: datetime.date) -> list[DueLetter]:
    """The day's letters in one query (RoutineState is kept current by the services)."""
    return [
        DueLetter(
            enrolment=enrolment,
            kind=letters.LETTER_FOR_STEP[enrolment.routine_state.next_step],
            step=enrolment.routine_state.next_step,
            # Not None: the query keeps only rows with next_due on or before today.
            due=cast(datetime.date, enrolment.routine_state.next_due),
        )
        for enrolment in letters_due_queryset(user=user, today=today)
    ]


@transaction.atomic
def letter_batch_create(
    *, user: User, today: datetime.date, enrolment_ids: list[int] | None = None
) -> LetterBatch:
    """Record a print run of the day's letters (those chosen, if any). Logs no attempt."""
    due = [d for d in letters_due(user=user, today=today) if not d.protected_identity]
    if enrolment_ids is not None:
        chosen = set(enrolment_ids)
        due = [d for d in due if d.enrolment.pk in chosen]
    if not due:
        raise ValidationError(_("Det finns inga brev att skriva ut."))
    batch = LetterBatch(
        municipality=user.municipality,
        created_by=user,
        printed_on=today,
        items=[{"enrolment": d.enrolment.pk, "kind": d.kind} for d in due],
    )
    batch.full_clean()
    batch.save()
    return batch


def letter_batches_for(user: User) -> QuerySet[LetterBatch]:
    """The user's own print runs (a batch holds what this user was allowed to print)."""
    return LetterBatch.objects.for_user(user).filter(created_by=user)


def batch_enrolments(*, user: User, batch: LetterBatch) -> dict[int, Enrolment]:
    """The batch's enrolments the user still may see; never anyone with protected identity."""
    return {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.visible_to(user)
        .filter(pk__in=batch.enrolment_ids, youth__protected_identity=False)
        .select_related("youth", "coordinator", "municipality")
    }


def letter_batch_letters(
    *, user: User, batch: LetterBatch
) -> tuple[list[letters.RenderedLetter], list[int]]:
    """The batch's letters the user may still print, in print order, and whose they are.

    A fixed number of queries however many letters (docs/architecture.md: the
    PDF itself is built in the background, ``services/letter_print.py``).
    """
    municipality = batch.municipality
    templates = letter_templates_for(municipality)
    letterhead = letterhead_for(municipality)
    enrolments = batch_enrolments(user=user, batch=batch)
    rendered = []
    youth_ids = []
    for item in batch.items:
        enrolment = enrolments.get(item["enrolment"])
        if enrolment is None:
            continue
        values = letter_values(enrolment=enrolment, letterhead=letterhead, today=batch.printed_on)
        rendered.append(render_for(template=templates[item["kind"]], values=values))
        youth_ids.append(enrolment.youth_id)
    if not rendered:
        raise ValidationError(_("Utskicket innehåller inga brev som du kan skriva ut."))
    return rendered, youth_ids


@transaction.atomic
def letter_batch_confirm(*, user: User, batch: LetterBatch) -> BatchConfirmation:
    """The user has printed and sent the letters: log one ``letter`` attempt each, once."""
    batch = LetterBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.confirmed_at is not None:
        return BatchConfirmation(already_confirmed=True)
    result = BatchConfirmation()
    enrolments = batch_enrolments(user=user, batch=batch)
    for item in batch.items:
        enrolment = enrolments.get(item["enrolment"])
        if enrolment is None:
            result.skipped.append(
                (str(item["enrolment"]), _("Du kan inte längre se den här inskrivningen."))
            )
            continue
        note = _("%(letter)s skickat per post (utskrivet %(date)s).") % {
            "letter": LetterKind(item["kind"]).label,
            "date": batch.printed_on.isoformat(),
        }
        try:
            # A savepoint per letter: one refused attempt (say, the enrolment ended
            # before the print date) must not undo the others.
            with transaction.atomic():
                contact_attempt_record(
                    user=user,
                    enrolment=enrolment,
                    date=batch.printed_on,
                    channel=Channel.LETTER,
                    party=Party.YOUTH,
                    outcome=Outcome.NOT_REACHED,
                    note=note,
                )
        except ValidationError as error:
            result.skipped.append((enrolment.youth.full_name, " ".join(error.messages)))
            continue
        result.logged.append(enrolment)
    batch.confirmed_at = timezone.now()
    batch.confirmed_by = user
    batch.save(update_fields=["confirmed_at", "confirmed_by"])
    return result
