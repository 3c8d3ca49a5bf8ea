"""What the contact section of one enrolment shows: attempts, the routine's answer, deviations."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from registry.models import Enrolment, User

from .forms.contacts import ContactAttemptForm
from .routine_text import explain_deviations, step_label
from .selectors.contacts import contact_attempts_shown
from .selectors.routine_facts import routine_facts_for


def contact_sections(
    *, enrolments: Sequence[Enrolment], user: User, today: datetime.date | None = None
) -> dict[int, dict[str, Any]]:
    """The contact section of each enrolment, by id: a fixed number of queries for any number.

    The routine's facts come from ``routine_facts_for`` and everything shown
    about the routine from ``routine.evaluate``'s answer (nothing recounted here).
    """
    today = today or timezone.localdate()
    facts = routine_facts_for(enrolments)
    shown = contact_attempts_shown(facts)
    sections = {}
    for enrolment in enrolments:
        result = facts[enrolment.pk].evaluate(today)
        next_step = result.next_step
        sections[enrolment.pk] = {
            "enrolment": enrolment,
            "attempts": shown.get(enrolment.pk, []),
            "result": result,
            "next_step": next_step,
            "next_step_label": step_label(next_step.code) if next_step else "",
            "overdue_since": next_step.overdue_since if next_step else None,
            "deviations": explain_deviations(
                result=result,
                registered_on=enrolment.registered_on,
                days=facts[enrolment.pk].days,
                as_of=today,
                ended_on=enrolment.ended_on,
            ),
            "days": facts[enrolment.pk].days,
            "form": ContactAttemptForm(auto_id=f"id_contact_{enrolment.pk}_%s"),
            "today": today,
        }
    return sections


def contact_section(
    *,
    enrolment: Enrolment,
    user: User,
    form: ContactAttemptForm | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    section = contact_sections(enrolments=[enrolment], user=user, today=today)[enrolment.pk]
    if form is not None:
        section["form"] = form
    return section
