"""Regional figures: each member municipality side by side with the region's total.

docs/domain.md, "Regions and moves". Set-based: per period one grouped aggregate
over all member municipalities' enrolments (the same aggregates as the key
figures, ``reports.selectors.key_figures.period_aggregates``), one for the
region's total, one for the IM students and one for the population; the
routine compliance rates every enrolment of the region in one pass. The query
count does not grow with the number of municipalities.

Nothing here reads a young person: only counts leave the database.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, Q

from casework import routine
from casework.models import RoutineSettings
from registry.models import Enrolment, Municipality, Region, User

from ..compliance import AREAS, MEETS, CaseRating, summarise
from ..key_figures import KeyFigures, Period, PeriodFigures
from ..models import PopulationFigure
from .compliance import rate_enrolments
from .key_figures import (
    _annotated_enrolments,
    figures_from_row,
    im_students_by_municipality,
    period_aggregates,
)


@dataclass(frozen=True)
class AreaCounts:
    rated: int
    meets: int


@dataclass(frozen=True)
class Column:
    """One municipality (or the region's total): its key figures and compliance."""

    code: str
    name: str
    figures: KeyFigures
    compliance: dict[str, AreaCounts]


@dataclass(frozen=True)
class RegionalFigures:
    region: Region
    period: Period
    as_of: datetime.date
    municipalities: list[Column]
    total: Column


def region_of(user: User) -> Region | None:
    if user.region_id is None:
        return None
    return Region.objects.filter(pk=user.region_id).first()


# Larger than any number of enrolments: the slice is a planner fence, not a limit.
FENCE = 10**12


def _of_municipality(aggregate: Aggregate, municipality_id: int) -> Aggregate:
    """The same aggregate over one municipality's rows only (an extra FILTER condition)."""
    only = aggregate.copy()
    mine = Q(municipality_id=municipality_id)
    only.filter = mine if aggregate.filter is None else mine & aggregate.filter
    return only


def _period_columns(
    ids: list[int], period: Period, *, today: datetime.date
) -> tuple[dict[int, PeriodFigures], PeriodFigures]:
    as_of = period.as_of(today)
    enrolments = _annotated_enrolments(None, as_of, municipality_ids=ids)
    aggregates = period_aggregates(period, as_of)
    combined: dict[str, Aggregate] = {f"total|{name}": agg for name, agg in aggregates.items()}
    for municipality_id in ids:
        for name, aggregate in aggregates.items():
            combined[f"{municipality_id}|{name}"] = _of_municipality(aggregate, municipality_id)
    # Sliced, the annotated enrolments become a subquery computed once per row: the LIMIT
    # keeps PostgreSQL from copying the correlated subqueries into every FILTER clause.
    row = enrolments[:FENCE].aggregate(**combined)
    by_key: dict[str, dict[str, Any]] = defaultdict(dict)
    for key, value in row.items():
        column, name = key.split("|", 1)
        by_key[column][name] = value
    grouped = {municipality_id: by_key[str(municipality_id)] for municipality_id in ids}
    total_row = by_key["total"]
    im_students = im_students_by_municipality(ids, as_of)
    population: dict[int, int] = {}
    for municipality_id, count in (
        PopulationFigure.objects.filter(municipality_id__in=ids, as_of__lte=period.end)
        .order_by("municipality_id", "-as_of")
        .values_list("municipality_id", "count")
    ):
        population.setdefault(municipality_id, count)
    per_municipality = {
        municipality_id: figures_from_row(
            grouped[municipality_id],
            period=period,
            as_of=as_of,
            enrolments=enrolments.filter(municipality_id=municipality_id),
            im_students=im_students.get(municipality_id, 0),
            population=population.get(municipality_id),
        )
        for municipality_id in ids
    }
    total = figures_from_row(
        total_row,
        period=period,
        as_of=as_of,
        enrolments=enrolments,
        im_students=sum(im_students.values()),
        population=sum(population.values()) if population else None,
    )
    return per_municipality, total


def _compliance(
    ids: list[int], period: Period, *, today: datetime.date
) -> tuple[dict[int, dict[str, AreaCounts]], dict[str, AreaCounts]]:
    as_of = period.as_of(today)
    chosen = sorted(
        Enrolment.objects.filter(municipality_id__in=ids, registered_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=period.start))
        .values_list("pk", flat=True)
    )
    days = {
        settings.municipality_id: routine.RoutineDays.from_settings(settings)
        for settings in RoutineSettings.objects.filter(municipality_id__in=ids)
    }
    by_municipality: dict[int, list[CaseRating]] = defaultdict(list)
    everyone: list[CaseRating] = []
    for municipality_id, rating in rate_enrolments(chosen, as_of, days, routine.RoutineDays()):
        by_municipality[municipality_id].append(rating)
        everyone.append(rating)

    def counts(cases: list[CaseRating]) -> dict[str, AreaCounts]:
        areas = summarise(cases)
        return {area: AreaCounts(rated=len(cases), meets=areas[area][MEETS]) for area in AREAS}

    return (
        {municipality_id: counts(by_municipality[municipality_id]) for municipality_id in ids},
        counts(everyone),
    )


def regional_figures(
    *, region: Region, period: Period, today: datetime.date, with_compliance: bool = True
) -> RegionalFigures:
    """The key figures (and, unless left out, the routine compliance) side by side.

    The compliance rates every enrolment of the region with the routine engine; the
    regional page leaves it out and shows it on a page of its own.
    """
    members = list(Municipality.objects.filter(regions=region).order_by("code"))
    ids = [municipality.pk for municipality in members]
    current, current_total = _period_columns(ids, period, today=today)
    previous, previous_total = _period_columns(ids, period.previous(), today=today)
    compliance: dict[int, dict[str, AreaCounts]] = {}
    compliance_total: dict[str, AreaCounts] = {}
    if with_compliance:
        compliance, compliance_total = _compliance(ids, period, today=today)
    columns = [
        Column(
            code=municipality.code,
            name=municipality.name,
            figures=KeyFigures(
                current=current[municipality.pk], previous=previous[municipality.pk]
            ),
            compliance=compliance.get(municipality.pk, {}),
        )
        for municipality in members
    ]
    total = Column(
        code="",
        name=region.name,
        figures=KeyFigures(current=current_total, previous=previous_total),
        compliance=compliance_total,
    )
    return RegionalFigures(
        region=region,
        period=period,
        as_of=period.as_of(today),
        municipalities=columns,
        total=total,
    )
