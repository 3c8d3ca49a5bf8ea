"""Reads for the manager's dashboard: registrations by month, targets, population figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import TruncMonth

from registry.models import Enrolment, User

from ..key_figures import KeyFigures, school_year_start, target_status
from ..models import PopulationFigure, Target, TargetFigure

MONTHS_SHOWN = 24


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def registrations_by_month(
    user: User, *, today: datetime.date, months: int = MONTHS_SHOWN
) -> list[tuple[datetime.date, int]]:
    """New registrations in each of the last ``months`` months (this one included), oldest first."""
    first = _add_months(_month_start(today), -(months - 1))
    rows = (
        Enrolment.objects.for_user(user)
        .filter(registered_on__gte=first, registered_on__lte=today)
        .annotate(month=TruncMonth("registered_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {_as_date(row["month"]): row["count"] for row in rows}
    return [
        (month, counts.get(month, 0))
        for month in (_add_months(first, offset) for offset in range(months))
    ]


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def school_year_of(day: datetime.date) -> int:
    return school_year_start(day).year


def targets_for(user: User, school_year: int) -> dict[str, Decimal]:
    return dict(
        Target.objects.for_user(user).filter(school_year=school_year).values_list("figure", "value")
    )


@dataclass(frozen=True)
class Attainment:
    figure: str
    label: str
    target: Decimal
    value: float | None
    status: str  # "ok" / "warn" / "bad" / "" (see key_figures.target_status)


def goal_attainment(
    figures: KeyFigures,
    targets: dict[str, Decimal],
    *,
    extra_values: dict[str, float | None] | None = None,
) -> list[Attainment]:
    """Each target of the school year against the period's value."""
    values: dict[str, float | None] = {
        code: figures.current.values.get(code) for code in TargetFigure.values
    }
    values.update(extra_values or {})
    return [
        Attainment(
            figure=figure,
            label=str(TargetFigure(figure).label),
            target=targets[figure],
            value=values.get(figure),
            status=target_status(values.get(figure), float(targets[figure])),
        )
        for figure in TargetFigure.values
        if figure in targets
    ]


def population_figures(user: User) -> list[PopulationFigure]:
    return list(PopulationFigure.objects.for_user(user).order_by("-as_of")[:10])
