"""Reminders for measures whose follow-up or evaluation date has passed without an entry.

docs/domain.md, "Which items are missing", item 7: every measure has a follow-up and an evaluation date, and an
evaluation once that date has passed. Set-based like the flags: one INSERT …
SELECT per kind and one UPDATE; the partial unique constraint on open
reminders makes a second run change nothing. A reminder is resolved when the
entry is written (or the date moves, the measure ends before its follow-up, or
the enrolment ends).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q

from casework.models import Measure, Plan
from registry.models import Enrolment, Municipality

from ..models import Reminder


@dataclass(frozen=True)
class ReminderChanges:
    opened: int
    resolved: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@transaction.atomic
def reminders_sync(
    *, today: datetime.date, municipality: Municipality | None = None
) -> ReminderChanges:
    resolved = _resolve(today=today, municipality=municipality)
    opened = _open(
        today=today,
        municipality=municipality,
        kind=Reminder.Kind.FOLLOW_UP,
        date_column="follow_up_on",
        missing_entry="measure.followed_up_at IS NULL AND measure.ended_on IS NULL",
    ) + _open(
        today=today,
        municipality=municipality,
        kind=Reminder.Kind.EVALUATION,
        date_column="evaluate_on",
        missing_entry="measure.evaluation = ''",
    )
    return ReminderChanges(opened=opened, resolved=resolved)


def _resolve(*, today: datetime.date, municipality: Municipality | None) -> int:
    follow_up_done = (
        Q(measure__followed_up_at__isnull=False)
        | Q(measure__ended_on__isnull=False)
        | Q(measure__follow_up_on__isnull=True)
        | ~Q(measure__follow_up_on=F("due"))
    )
    evaluation_done = (
        ~Q(measure__evaluation="")
        | Q(measure__evaluate_on__isnull=True)
        | ~Q(measure__evaluate_on=F("due"))
    )
    open_reminders = Reminder.objects.filter(resolved_on__isnull=True)
    if municipality is not None:
        open_reminders = open_reminders.filter(measure__plan__enrolment__municipality=municipality)
    return open_reminders.filter(
        Q(measure__plan__enrolment__ended_on__isnull=False)
        | (Q(kind=Reminder.Kind.FOLLOW_UP) & follow_up_done)
        | (Q(kind=Reminder.Kind.EVALUATION) & evaluation_done)
    ).update(resolved_on=today)


def _open(
    *,
    today: datetime.date,
    municipality: Municipality | None,
    kind: str,
    date_column: str,
    missing_entry: str,
) -> int:
    reminder = Reminder._meta.db_table
    measure = Measure._meta.db_table
    plan = Plan._meta.db_table
    enrolment = Enrolment._meta.db_table
    sql = f"""
        INSERT INTO {reminder} (measure_id, kind, due, opened_on, resolved_on)
        SELECT measure.id, %s, measure.{date_column}, %s, NULL
        FROM {measure} AS measure
        JOIN {plan} AS plan ON plan.id = measure.plan_id
        JOIN {enrolment} AS enrolment ON enrolment.id = plan.enrolment_id
        WHERE enrolment.ended_on IS NULL
          AND measure.{date_column} < %s
          AND {missing_entry}
          {"AND enrolment.municipality_id = %s" if municipality is not None else ""}
          AND NOT EXISTS (
            SELECT 1 FROM {reminder} AS reminder
            WHERE reminder.measure_id = measure.id
              AND reminder.kind = %s
              AND reminder.due = measure.{date_column}
              AND reminder.resolved_on IS NULL
          )
        ON CONFLICT DO NOTHING
    """  # noqa: S608 (table and column names come from the code, values are parameters)
    params: list[Any] = [kind, today, today]
    if municipality is not None:
        params.append(municipality.pk)
    params.append(kind)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
