"""The effects rule (``casework.effects``) inside the database: outcomes for many measures at once.

``with_outcomes`` annotates a queryset of measures with ``outcome_6`` and
``outcome_12``, the outcome codes of ``casework.effects.outcome`` at 6 and 12
months, as correlated subqueries (one query for any number of measures). The
steps are the pure rule's, in its order; ``tests/casework/test_effects_tie.py``
compares the two on random cases so they cannot drift apart. It runs on
PostgreSQL and on SQLite (the demo).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from registry.models import Enrolment, Occupation
from registry.models.youth import OCCUPATION_SCB_CATEGORY

from ..effects import (
    FOLLOW_UP_MONTHS,
    LEFT,
    NOT_YET_KNOWN,
    UNKNOWN,
    UPPER_SECONDARY,
    UPPER_SECONDARY_END_REASONS,
    EnrolmentFacts,
    outcome,
    outcome_day,
)
from ..models import Measure, MeasureType


class AddMonths(Func):
    """A date plus whole calendar months, clamped to the month's last day (``effects.add_months``).

    PostgreSQL's date + interval clamps already (31 January + 1 month is the
    last day of February). SQLite rolls over instead (to 2 or 3 March), and
    when it did, the month's last day is the day before the 1st it rolled into.
    """

    output_field = DateField()

    def __init__(self, expression: Any, months: int, **extra: Any) -> None:
        self.months = int(months)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql} + INTERVAL '{self.months} months') AS date)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        shift = f"'+{self.months} months'"
        return (
            f"CASE WHEN strftime('%%d', date({sql}, {shift})) = strftime('%%d', {sql}) "
            f"THEN date({sql}, {shift}) "
            f"ELSE date({sql}, {shift}, 'start of month', '-1 day') END",
            params * 4,
        )


def _category_of_kind() -> Case:
    """The register's kind-to-SCB-category mapping as SQL (the same dict, not a copy)."""
    return Case(
        *[
            When(kind=kind, then=Value(str(category)))
            for kind, category in OCCUPATION_SCB_CATEGORY.items()
        ],
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


def _newest_first() -> list[Any]:
    # The pure rule's "latest enrolment": by registration, then end (an open one last), then id.
    return ["-registered_on", F("ended_on").desc(nulls_first=True), "-id"]


def _outer(name: str, depth: int) -> OuterRef:
    reference = OuterRef(name)
    for _ in range(depth - 1):
        reference = OuterRef(reference)
    return reference


def _enrolments_by(day: str, *, depth: int) -> QuerySet[Enrolment]:
    """The young person's enrolments in the municipality registered by D (``depth``: how many
    subqueries down from the measures)."""
    return Enrolment.objects.filter(
        youth_id=_outer("plan__enrolment__youth_id", depth),
        municipality_id=_outer("plan__enrolment__municipality_id", depth),
        registered_on__lte=_outer(day, depth),
    )


def _active_enrolments(day: str, *, depth: int) -> QuerySet[Enrolment]:
    return _enrolments_by(day, depth=depth).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=_outer(day, depth))
    )


def with_outcomes(measures: QuerySet[Measure], *, today: datetime.date) -> QuerySet[Measure]:
    """Annotate ``outcome_6`` and ``outcome_12`` (and the days they are read on, ``day_6``, ``day_12``).

    Select only what you need (``values``): the helper annotations are then
    inlined into the outcome rather than returned.
    """
    measures = measures.annotate(
        **{f"day_{months}": AddMonths(F("ended_on"), months) for months in FOLLOW_UP_MONTHS}
    )
    steps: dict[str, Any] = {}
    for months in FOLLOW_UP_MONTHS:
        day = f"day_{months}"
        # Step 2: the enrolment active on D (registered by D, not ended by D) ...
        steps[f"has_active_{months}"] = Exists(_active_enrolments(day, depth=1))
        # ... and its occupation in force on D, in SCB's category.
        active_id = Subquery(
            _active_enrolments(day, depth=2).order_by(*_newest_first()).values("id")[:1]
        )
        steps[f"category_{months}"] = Subquery(
            Occupation.objects.filter(enrolment_id=active_id, from_date__lte=OuterRef(day))
            .annotate(category=_category_of_kind())
            .order_by("-from_date", "-id")
            .values("category")[:1],
            output_field=CharField(),
        )
        # Step 3: the latest enrolment registered by D (all ended by then) and its reason.
        steps[f"latest_end_reason_{months}"] = Subquery(
            _enrolments_by(day, depth=1).order_by(*_newest_first()).values("end_reason")[:1],
            output_field=CharField(),
        )
    measures = measures.annotate(**steps)
    return measures.annotate(
        **{
            f"outcome_{months}": Case(
                # Step 1: D is after today.
                When(**{f"day_{months}__gt": today}, then=Value(NOT_YET_KNOWN)),
                When(
                    **{f"has_active_{months}": True},
                    then=Coalesce(F(f"category_{months}"), Value(UNKNOWN)),
                ),
                When(
                    **{f"latest_end_reason_{months}__in": sorted(UPPER_SECONDARY_END_REASONS)},
                    then=Value(UPPER_SECONDARY),
                ),
                # Step 4.
                default=Value(LEFT),
                output_field=CharField(),
            )
            for months in FOLLOW_UP_MONTHS
        }
    )


def enrolment_facts(enrolments: list[Enrolment]) -> list[EnrolmentFacts]:
    """The pure rule's input from enrolments with their occupations prefetched (id order kept)."""
    return [
        EnrolmentFacts(
            registered_on=enrolment.registered_on,
            ended_on=enrolment.ended_on,
            end_reason=enrolment.end_reason,
            occupations=tuple(
                (occupation.from_date, occupation.kind)
                for occupation in sorted(enrolment.occupations.all(), key=lambda o: o.pk)
            ),
        )
        for enrolment in sorted(enrolments, key=lambda e: e.pk)
    ]


@dataclass(frozen=True)
class MeasureOutcomes:
    """One ended measure of a young person and what followed it (the young person's page)."""

    measure_id: int
    type_label: str
    ended_on: datetime.date
    # (months, outcome code, the day D it is read on) for 6 and 12 months.
    outcomes: tuple[tuple[int, str, datetime.date], ...]


def youth_measure_outcomes(*, youth_id: int, today: datetime.date) -> list[MeasureOutcomes]:
    """Every ended measure of one young person with its outcomes, latest first.

    One query when the young person has no ended measure (most have none), three
    otherwise: the measures, then the young person's enrolments and their
    occupations, read by the pure rule (``casework.effects.outcome``, the rule
    ``with_outcomes`` puts in SQL for many measures). For one person the rule in
    Python is cheaper than building ``with_outcomes``'s subqueries, which cost the
    young person's page ~25 ms of ORM compilation (docs/performance.md).
    The caller has already checked that the user may see the young person.
    """
    labels = dict(MeasureType.choices)
    measures = list(
        Measure.objects.filter(plan__enrolment__youth_id=youth_id, ended_on__isnull=False)
        .order_by("-ended_on", "-id")
        .values_list("id", "type", "ended_on", "plan__enrolment__municipality_id")
    )
    if not measures:
        return []
    by_municipality: dict[int, list[Enrolment]] = {}
    for enrolment in Enrolment.objects.filter(youth_id=youth_id).prefetch_related("occupations"):
        by_municipality.setdefault(enrolment.municipality_id, []).append(enrolment)
    facts = {
        municipality_id: enrolment_facts(enrolments)
        for municipality_id, enrolments in by_municipality.items()
    }
    return [
        MeasureOutcomes(
            measure_id=measure_id,
            type_label=str(labels.get(kind, kind)),
            ended_on=ended_on,
            outcomes=tuple(
                (
                    months,
                    outcome(
                        ended_on=ended_on,
                        months=months,
                        enrolments=facts.get(municipality_id, []),
                        today=today,
                        category_of=OCCUPATION_SCB_CATEGORY,
                    ),
                    outcome_day(ended_on, months),
                )
                for months in FOLLOW_UP_MONTHS
            ),
        )
        for measure_id, kind, ended_on, municipality_id in measures
        if ended_on is not None  # the filter's; it tells the type checker too
    ]
