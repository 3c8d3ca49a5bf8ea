"""Overdue flags: set-based, from the stored RoutineState (never a query per enrolment).

One run is three statements whatever the number of enrolments: an UPDATE that
resolves open flags whose step is no longer the overdue next step, and an
INSERT … SELECT that opens a flag for every overdue next step without an open
flag. The partial unique constraint on open flags (enrolment, step, due) backs
the NOT EXISTS, so a second run, or a run repeated after an interruption,
changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from casework.models import ContactAttempt, RoutineState
from registry.models import Enrolment, Municipality, Occupation

from ..models import OverdueFlag


@dataclass(frozen=True)
class FlagChanges:
    opened: int
    resolved: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _overdue_states(*, today: datetime.date) -> Q:
    """RoutineState says the next step is overdue: today is later than due + tolerance."""
    return Q(next_due__isnull=False, overdue_after__lt=today) & ~Q(next_step="")


@transaction.atomic
def overdue_flags_sync(
    *, today: datetime.date, municipality: Municipality | None = None
) -> FlagChanges:
    """Open and resolve overdue flags for all active enrolments (optionally one municipality).

    Reads RoutineState as it is: the job refreshes it first
    (``casework.services.routine_state.routine_state_refresh``).
    """
    resolved = _resolve(today=today, municipality=municipality)
    opened = _open(today=today, municipality=municipality)
    return FlagChanges(opened=opened, resolved=resolved)


def _resolve(*, today: datetime.date, municipality: Municipality | None) -> int:
    still_overdue = RoutineState.objects.filter(
        _overdue_states(today=today),
        enrolment_id=OuterRef("enrolment_id"),
        next_step=OuterRef("step"),
        next_due=OuterRef("due"),
        enrolment__ended_on__isnull=True,
    )
    open_flags = OverdueFlag.objects.filter(resolved_on__isnull=True)
    if municipality is not None:
        open_flags = open_flags.filter(enrolment__municipality=municipality)
    return open_flags.filter(~Exists(still_overdue)).update(resolved_on=today)


def _open(*, today: datetime.date, municipality: Municipality | None) -> int:
    # Django has no INSERT … SELECT; the statement is plain SQL that PostgreSQL and
    # SQLite (the demo) both run. ON CONFLICT DO NOTHING covers a concurrent run.
    flag = OverdueFlag._meta.db_table
    state = RoutineState._meta.db_table
    enrolment = Enrolment._meta.db_table
    sql = f"""
        INSERT INTO {flag} (enrolment_id, step, due, opened_on, resolved_on)
        SELECT state.enrolment_id, state.next_step, state.next_due, %s, NULL
        FROM {state} AS state
        JOIN {enrolment} AS enrolment ON enrolment.id = state.enrolment_id
        WHERE enrolment.ended_on IS NULL
          AND state.next_step <> ''
          AND state.next_due IS NOT NULL
          AND state.overdue_after < %s
          {"AND enrolment.municipality_id = %s" if municipality is not None else ""}
          AND NOT EXISTS (
            SELECT 1 FROM {flag} AS flag
            WHERE flag.enrolment_id = state.enrolment_id
              AND flag.step = state.next_step
              AND flag.due = state.next_due
              AND flag.resolved_on IS NULL
          )
        ON CONFLICT DO NOTHING
    """  # noqa: S608 (table names come from the models, values are parameters)
    params: list[Any] = [today, today]
    if municipality is not None:
        params.append(municipality.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def routine_states_to_refresh(*, since: datetime.datetime | None) -> Q:
    """Which enrolments the nightly job recomputes: only those whose state can have changed.

    An active enrolment's state moves with the days; an ended one's is fixed at
    its end (the services and signals recompute it on every write), so it is
    recomputed only when it has no state yet or was touched since the last run
    (``since``: that run's start; None on the first run): its enrolment, a contact
    attempt or an occupation changed (their history rows), or it ended since.
    Recomputing is idempotent, so an overlap with the last run does no harm.
    """
    due = Q(ended_on__isnull=True) | Q(routine_state__isnull=True)
    if since is None:
        return due
    changed = {
        "enrolment": Enrolment.history.model.objects.filter(
            id=OuterRef("pk"), history_date__gte=since
        ),
        "attempt": ContactAttempt.history.model.objects.filter(
            enrolment_id=OuterRef("pk"), history_date__gte=since
        ),
        "occupation": Occupation.history.model.objects.filter(
            enrolment_id=OuterRef("pk"), history_date__gte=since
        ),
    }
    touched = Q(ended_on__gte=since.date())
    for rows in changed.values():
        touched |= Q(Exists(rows))
    return due | touched
