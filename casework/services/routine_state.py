"""Keeps the stored RoutineState equal to ``casework.routine`` for today.

Lists of thousands of enrolments (the worklist, the nightly job, reports) read
RoutineState instead of running the routine row by row. It is refreshed by the
contact services on every write, by a signal when an enrolment is created or
ended, by the routine-settings service and by the nightly job.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from registry.models import Enrolment, Municipality

from .. import routine
from ..models import RoutineState
from ..selectors.routine_facts import routine_facts_for

# Enrolments per round: bounds memory; each round runs the same queries
# (``routine_facts_for``'s three and the upsert).
CHUNK_SIZE = 2000

_STATE_FIELDS = [
    "contact_established_on",
    "first_attempt_on",
    "next_step",
    "next_due",
    "overdue_after",
    "deviations",
    "no_attempt_deviation_after",
    "home_visit_on",
    "attempt_count",
    "computed_at",
]


def routine_state_refresh(
    *,
    enrolment_ids: Iterable[int] | None = None,
    municipality: Municipality | None = None,
    today: datetime.date | None = None,
) -> int:
    """Recompute the RoutineState rows of the given enrolments (all when none given).

    Returns the number of rows written.
    """
    today = today or timezone.localdate()
    enrolments = Enrolment.objects.order_by("pk")
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    if municipality is not None:
        enrolments = enrolments.filter(municipality=municipality)
    ids = list(enrolments.values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        written += _refresh_chunk(ids[start : start + CHUNK_SIZE], today)
    return written


@transaction.atomic
def _refresh_chunk(ids: list[int], today: datetime.date) -> int:
    states = []
    for enrolment_id, facts in routine_facts_for(ids).items():
        schedule = facts.schedule(today)
        states.append(
            RoutineState(
                enrolment_id=enrolment_id,
                contact_established_on=schedule.contact_established_on,
                first_attempt_on=schedule.first_attempt_on,
                next_step=schedule.next_step or "",
                next_due=schedule.next_due,
                overdue_after=schedule.overdue_after,
                deviations=schedule.deviations,
                no_attempt_deviation_after=schedule.no_attempt_deviation_after,
                home_visit_on=schedule.home_visit_on,
                attempt_count=schedule.attempt_count,
            )
        )
    RoutineState.objects.bulk_create(
        states,
        update_conflicts=True,
        unique_fields=["enrolment"],
        update_fields=_STATE_FIELDS,
    )
    return len(states)


def state_result(state: RoutineState, as_of: datetime.date) -> routine.RoutineResult:
    """The routine's answer on ``as_of`` (today or later) read from a stored state."""
    return routine.Schedule(
        contact_established_on=state.contact_established_on,
        first_attempt_on=state.first_attempt_on,
        next_step=state.next_step or None,
        next_due=state.next_due,
        overdue_after=state.overdue_after,
        deviations=list(state.deviations),
        no_attempt_deviation_after=state.no_attempt_deviation_after,
        home_visit_on=state.home_visit_on,
        attempt_count=state.attempt_count,
    ).result(as_of)
