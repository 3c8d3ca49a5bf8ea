"""The reports endpoints of API.md: key figures and routine compliance."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kaa.api.auth import require_role
from kaa.api.errors import ApiError
from registry.models import Role

from .key_figures import KeyFigures, Period
from .selectors.key_figures import key_figures

router = Router(tags=["reports"])

# The longest period the endpoints compute (and its previous period as long).
MAX_PERIOD_DAYS = 3 * 366


class PeriodQuery(Schema):
    start: datetime.date = Field(..., alias="from")
    end: datetime.date = Field(..., alias="to")


def period_from_query(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise ApiError(400, {"to": [_("Slutdatumet får inte vara före startdatumet.")]})
    period = Period(start, end)
    if period.days > MAX_PERIOD_DAYS:
        raise ApiError(400, {"to": [_("Perioden får vara högst tre år.")]})
    return period


def _period_json(period: Period, as_of: datetime.date) -> dict[str, str]:
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "as_of": as_of.isoformat(),
    }


def key_figures_json(figures: KeyFigures) -> dict[str, Any]:
    return {
        "period": _period_json(figures.current.period, figures.current.as_of),
        "previous_period": _period_json(figures.previous.period, figures.previous.as_of),
        "figures": {code: c.as_dict() for code, c in figures.comparisons().items()},
        "by_occupation": {
            category: c.as_dict() for category, c in figures.occupation_comparisons().items()
        },
        "coordinators": [
            {
                "coordinator": load.coordinator_id,
                "name": load.name,
                "caseload": load.caseload,
                "overdue": load.overdue,
            }
            for load in figures.coordinators
        ],
    }


@router.get("/key-figures/", summary="Key figures for a period and the one before it")
def key_figures_endpoint(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Numbers, not suppressed: figures under 5 are hidden only in public reports."""
    require_role(request, Role.MANAGER, Role.BOARD_SECRETARY)
    period = period_from_query(query.start, query.end)
    figures = key_figures(user=request.user, period=period, today=timezone.localdate())  # type: ignore[arg-type]
    return key_figures_json(figures)
