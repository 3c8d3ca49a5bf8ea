"""What the contact section of one enrolment shows: attempts, the routine's answer, deviations."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from registry.models import Enrolment, User

from . import routine
from .forms.contacts import ContactAttemptForm
from .models import ContactAttempt, RoutineSettings
from .routine_text import explain_deviations, step_label


def contact_section(
    *,
    enrolment: Enrolment,
    user: User,
    form: ContactAttemptForm | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    today = today or timezone.localdate()
    attempts = list(enrolment.contact_attempts.select_related("recorded_by").order_by("date", "pk"))
    days = routine.RoutineDays.from_settings(
        RoutineSettings.objects.filter(municipality_id=enrolment.municipality_id).first()
    )
    occupation_at_end = None
    if enrolment.ended_on is not None:
        latest = (
            enrolment.occupations.filter(from_date__lte=enrolment.ended_on)
            .order_by("-from_date", "-pk")
            .first()
        )
        occupation_at_end = latest.kind if latest else None
    plain = [routine.Attempt(a.date, a.channel, a.outcome) for a in attempts]
    result = routine.evaluate(
        registered_on=enrolment.registered_on,
        ended_on=enrolment.ended_on,
        attempts=plain,
        days=days,
        as_of=today,
        occupation_at_end=occupation_at_end,
    )
    # An edited attempt has more than one version in its history.
    versions = dict(
        ContactAttempt.history.model.objects.filter(id__in=[a.pk for a in attempts])
        .values("id")
        .annotate(n=Count("history_id"))
        .values_list("id", "n")
    )
    for attempt in attempts:
        attempt.was_edited = versions.get(attempt.pk, 0) > 1  # type: ignore[attr-defined]
    next_step = result.next_step
    return {
        "enrolment": enrolment,
        "attempts": list(reversed(attempts)),
        "result": result,
        "next_step": next_step,
        "next_step_label": step_label(next_step.code) if next_step else "",
        "overdue_since": (
            next_step.due + datetime.timedelta(days=days.tolerance_days + 1) if next_step else None
        ),
        "deviations": explain_deviations(
            deviations=result.deviations,
            registered_on=enrolment.registered_on,
            attempts=plain,
            days=days,
            as_of=today,
            ended_on=enrolment.ended_on,
        ),
        "days": days,
        "form": form or ContactAttemptForm(auto_id=f"id_contact_{enrolment.pk}_%s"),
        "today": today,
    }
