"""Logging contact attempts (docs/domain.md, "Contact attempts"; docs/api.md, "Contact attempts")."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from registry.models import Enrolment, User

from ..models import ContactAttempt
from .routine_state import routine_state_refresh

EDITABLE_FIELDS = ("date", "channel", "party", "outcome", "note", "staff")


def _check_date(enrolment: Enrolment, day: datetime.date | None) -> None:
    """Refused: before registration, after the end, in the future (docs/domain.md, "Contact attempts")."""
    if day is None:
        return
    if day < enrolment.registered_on:
        raise ValidationError(
            {
                "date": [
                    _("Datumet kan inte vara före inskrivningen (%(day)s).")
                    % {"day": formats.date_format(enrolment.registered_on, "Y-m-d")}
                ]
            }
        )
    if enrolment.ended_on is not None and day > enrolment.ended_on:
        raise ValidationError(
            {
                "date": [
                    _("Datumet kan inte vara efter avregistreringen (%(day)s).")
                    % {"day": formats.date_format(enrolment.ended_on, "Y-m-d")}
                ]
            }
        )
    if day > timezone.localdate():
        raise ValidationError({"date": [_("Datumet kan inte vara i framtiden.")]})


def _lock_enrolment(enrolment_id: int) -> None:
    """Serialise writes to one enrolment's attempts.

    Each write recomputes the enrolment's RoutineState from the attempts it can
    see; without the lock two simultaneous writes each miss the other's attempt
    and the stored next step stays wrong until the nightly refresh.
    """
    Enrolment.objects.select_for_update().filter(pk=enrolment_id).values_list("pk").first()


@transaction.atomic
def contact_attempt_record(
    *,
    user: User,
    enrolment: Enrolment,
    date: datetime.date,
    channel: str,
    party: str,
    outcome: str,
    note: str = "",
    staff: str = "",
) -> ContactAttempt:
    attempt = ContactAttempt(
        enrolment=enrolment,
        date=date,
        channel=channel,
        party=party,
        outcome=outcome,
        note=note,
        staff=staff,
        recorded_by=user,
    )
    attempt.full_clean()
    _check_date(enrolment, date)
    _lock_enrolment(enrolment.pk)
    attempt._history_user = user  # type: ignore[attr-defined]
    attempt.save()
    routine_state_refresh(enrolment_ids=[enrolment.pk])
    return attempt


@transaction.atomic
def contact_attempt_update(*, user: User, attempt: ContactAttempt, **fields: Any) -> ContactAttempt:
    """Change an attempt; the earlier version stays in its history."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt.full_clean()
    _check_date(attempt.enrolment, attempt.date)
    _lock_enrolment(attempt.enrolment_id)
    attempt._history_user = user  # type: ignore[attr-defined]
    attempt.save()
    routine_state_refresh(enrolment_ids=[attempt.enrolment_id])
    return attempt
