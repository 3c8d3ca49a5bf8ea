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
from django.db.models import Q
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
    # Copied from the enrolment for the worklist's counts (RoutineState.municipality).
    "municipality",
    "coordinator",
    "protected_identity",
]


def routine_state_refresh(
    *,
    enrolment_ids: Iterable[int] | None = None,
    municipality: Municipality | None = None,
    today: datetime.date | None = None,
    only: Q | None = None,
) -> int:
    """Recompute the RoutineState rows of the given enrolments (all when none given).

    ``only`` narrows the enrolments by a condition (the nightly job's: active or
    touched since its last run). Returns the number of rows written.
    """
    today = today or timezone.localdate()
    enrolments = Enrolment.objects.order_by("pk")
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    if only is not None:
        enrolments = enrolments.filter(only)
    if municipality is not None:
        enrolments = enrolments.filter(municipality=municipality)
    # The worklist's copied columns come with the ids (no extra query per chunk).
    rows = list(
        enrolments.values_list(
            "pk", "municipality_id", "coordinator_id", "youth__protected_identity"
        )
    )
    written = 0
    for start in range(0, len(rows), CHUNK_SIZE):
        chunk = rows[start : start + CHUNK_SIZE]
        written += _refresh_chunk({row[0]: row[1:] for row in chunk}, today)
    return written


@transaction.atomic
def _refresh_chunk(copied: dict[int, tuple[int, int | None, bool]], today: datetime.date) -> int:
    states = []
    for enrolment_id, facts in routine_facts_for(list(copied)).items():
        schedule = facts.schedule(today)
        municipality_id, coordinator_id, protected = copied[enrolment_id]
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
                municipality_id=municipality_id,
                coordinator_id=coordinator_id,
                protected_identity=protected,
            )
        )
    RoutineState.objects.bulk_create(
        _changed(states),
        update_conflicts=True,
        unique_fields=["enrolment"],
        update_fields=_STATE_FIELDS,
    )
    return len(states)


def _changed(states: list[RoutineState]) -> list[RoutineState]:
    """The states that differ from the stored rows: an unchanged row is not rewritten.

    Most states are the same from one night to the next; rewriting them all
    cost the nightly job most of its time (``computed_at`` is when a state last changed).
    """
    attnames = {field.name: field.attname for field in RoutineState._meta.concrete_fields}
    columns = [attnames[name] for name in _STATE_FIELDS]
    columns.remove("computed_at")

    def values(row: tuple) -> tuple:
        return tuple(list(value) if isinstance(value, list | tuple) else value for value in row)

    stored = {
        row[0]: values(row[1:])
        for row in RoutineState.objects.filter(
            enrolment_id__in=[state.enrolment_id for state in states]
        ).values_list("enrolment_id", *columns)
    }
    return [
        state
        for state in states
        if stored.get(state.enrolment_id) != values(tuple(getattr(state, c) for c in columns))
    ]


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
