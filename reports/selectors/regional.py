"""Regional figures: each member municipality side by side with the region's total.

docs/domain.md, "Regions and moves". Set-based: the key figures' own pass
(``reports.selectors.key_figures.figures_by_municipality``) judges both periods
over all member municipalities' enrolments in one query, grouped by
municipality with the region's total (ROLLUP: its medians and shares are the
region's, not sums); the routine compliance rates every enrolment of the region
from the stored routine states in one pass (``rate_scope``). The query count
does not grow with the number of municipalities.

Nothing here reads a young person: only counts leave the database.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from registry.models import Municipality, Region, User

from ..compliance import AREAS, MEETS, CaseRating, summarise
from ..effects import EffectsGroup
from ..key_figures import KeyFigures, Period
from .compliance import active_in_period_of, rate_scope
from .effects import effects_by_municipality
from .key_figures import figures_by_municipality


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
    # The measures ended in the period (and the previous one) and their outcomes.
    effects: EffectsGroup | None = None


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


def _compliance(
    ids: list[int], period: Period, *, today: datetime.date
) -> tuple[dict[int, dict[str, AreaCounts]], dict[str, AreaCounts]]:
    """Every enrolment of the members active in the period, rated in one set-based pass
    (``rate_scope``: the stored routine states, a fixed number of queries)."""
    by_municipality: dict[int, list[CaseRating]] = defaultdict(list)
    everyone: list[CaseRating] = []
    scope = active_in_period_of(ids, period)
    for municipality_id, rating in rate_scope(scope, period.as_of(today)):
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
    *,
    region: Region,
    period: Period,
    today: datetime.date,
    with_compliance: bool = True,
    with_effects: bool = True,
) -> RegionalFigures:
    """The key figures, the routine compliance and the effects of measures side by side
    (each of the last two can be left out).

    The compliance rates every enrolment of the region active in the period; the
    regional page leaves it out and shows it on a page of its own.
    """
    members = list(Municipality.objects.filter(regions=region).order_by("code"))
    ids = [municipality.pk for municipality in members]
    # Both periods in one pass: docs/domain.md compares each figure with the previous period.
    by_municipality, totals = figures_by_municipality(ids, [period, period.previous()], today=today)
    current = {mid: figures[0] for mid, figures in by_municipality.items()}
    previous = {mid: figures[1] for mid, figures in by_municipality.items()}
    current_total, previous_total = totals
    compliance: dict[int, dict[str, AreaCounts]] = {}
    compliance_total: dict[str, AreaCounts] = {}
    if with_compliance:
        compliance, compliance_total = _compliance(ids, period, today=today)
    effects: dict[int, EffectsGroup] = {}
    effects_total: EffectsGroup | None = None
    if with_effects:
        effects, effects_total = effects_by_municipality(
            municipality_ids=ids, period=period, today=today
        )
    columns = [
        Column(
            code=municipality.code,
            name=municipality.name,
            figures=KeyFigures(
                current=current[municipality.pk], previous=previous[municipality.pk]
            ),
            compliance=compliance.get(municipality.pk, {}),
            effects=effects.get(municipality.pk),
        )
        for municipality in members
    ]
    total = Column(
        code="",
        name=region.name,
        figures=KeyFigures(current=current_total, previous=previous_total),
        compliance=compliance_total,
        effects=effects_total,
    )
    return RegionalFigures(
        region=region,
        period=period,
        as_of=period.as_of(today),
        municipalities=columns,
        total=total,
    )
