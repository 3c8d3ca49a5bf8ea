"""The effects report's data: every measure ended in a period and the one before, in one query.

The outcomes come from ``casework.selectors.effects.with_outcomes`` (the rule
inside the database); the grouping is ``reports.effects.build_report``.

PostgreSQL's JIT compiler is switched off for this one query (``SET LOCAL``,
so only inside its own transaction): the planner prices its correlated
subqueries above ``jit_above_cost`` for a big municipality's half-year, and
compiling took longer (about 170 ms) than running it (about 100 ms) on the
national bench data set.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _

from casework.effects import FOLLOW_UP_MONTHS
from casework.models import Measure, MeasureType, Responsible
from casework.selectors.effects import with_outcomes
from registry.models import User

from ..effects import EffectsGroup, EffectsReport, MeasureOutcome, build_report
from ..key_figures import Period

UNASSIGNED = "none"


def _actor(row: dict, parties: dict[str, str]) -> tuple[str, str]:
    """Who was responsible: the named actor, else the party (the young person, the municipality)."""
    if row["actor_id"] is not None:
        return f"actor-{row['actor_id']}", row["actor__name"]
    if row["responsible"]:
        return row["responsible"], parties.get(row["responsible"], row["responsible"])
    return "", parties[""]


def _coordinator(row: dict) -> tuple[str, str]:
    if row["plan__enrolment__coordinator_id"] is None:
        return UNASSIGNED, str(_("Ej tilldelad"))
    name = (
        f"{row['plan__enrolment__coordinator__first_name']} "
        f"{row['plan__enrolment__coordinator__last_name']}"
    ).strip()
    return str(row["plan__enrolment__coordinator_id"]), name or row[
        "plan__enrolment__coordinator__username"
    ]


def effects_report(*, user: User, period: Period, today: datetime.date) -> EffectsReport:
    """The measures of the user's municipality ended in the period and the previous one."""
    previous = period.previous()
    query = (
        with_outcomes(
            Measure.objects.for_user(user).filter(
                ended_on__gte=previous.start, ended_on__lte=period.end
            ),
            today=today,
        )
        .values(
            "ended_on",
            "type",
            "responsible",
            "actor_id",
            "actor__name",
            "plan__enrolment__coordinator_id",
            "plan__enrolment__coordinator__first_name",
            "plan__enrolment__coordinator__last_name",
            "plan__enrolment__coordinator__username",
            *(f"outcome_{months}" for months in FOLLOW_UP_MONTHS),
        )
        .order_by()
    )
    parties = {code: str(label) for code, label in Responsible.choices} | {"": str(_("Ej angiven"))}
    measures = []
    rows = _without_jit(query)
    for row in rows:
        actor_key, actor_label = _actor(row, parties)
        coordinator_key, coordinator_label = _coordinator(row)
        measures.append(
            MeasureOutcome(
                ended_on=row["ended_on"],
                type=row["type"],
                actor_key=actor_key,
                actor_label=actor_label,
                coordinator_key=coordinator_key,
                coordinator_label=coordinator_label,
                outcomes={m: row[f"outcome_{m}"] for m in FOLLOW_UP_MONTHS},
            )
        )
    return build_report(
        measures,
        period=period,
        today=today,
        type_labels={code: str(label) for code, label in MeasureType.choices},
        unassigned_last=UNASSIGNED,
    )


def _without_jit(query: QuerySet) -> list[dict[str, Any]]:
    """The rows of ``query``, with PostgreSQL's JIT off for it alone (see the module's note)."""
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        return list(query)


def effects_by_municipality(
    *, municipality_ids: list[int], period: Period, today: datetime.date
) -> tuple[dict[int, EffectsGroup], EffectsGroup]:
    """The outcome counts of the measures ended in the period and the previous one, per
    municipality and for all of them together (the regional figures, docs/domain.md,
    "Regions and moves"). One query, counted in the database: the same outcomes
    (``with_outcomes``) grouped by municipality, period and outcome pair; only counts
    leave the database. Measures are placed in a municipality by their enrolment's.
    """
    previous = period.previous()
    outcome_columns = [f"outcome_{months}" for months in FOLLOW_UP_MONTHS]
    query = (
        with_outcomes(
            Measure.objects.filter(
                plan__enrolment__municipality_id__in=municipality_ids,
                ended_on__gte=previous.start,
                ended_on__lte=period.end,
            ),
            today=today,
        )
        .annotate(
            in_period=ExpressionWrapper(Q(ended_on__gte=period.start), output_field=BooleanField())
        )
        .values("plan__enrolment__municipality_id", "in_period", *outcome_columns)
        .annotate(count=Count("pk"))
        .order_by()
    )
    groups = {
        municipality_id: EffectsGroup(str(municipality_id), "")
        for municipality_id in municipality_ids
    }
    total = EffectsGroup("total", "")
    for row in _without_jit(query):
        outcomes = {months: row[f"outcome_{months}"] for months in FOLLOW_UP_MONTHS}
        side = "current" if row["in_period"] else "previous"
        for group in (groups[row["plan__enrolment__municipality_id"]], total):
            getattr(group, side).add(outcomes, times=row["count"])
    return groups, total
