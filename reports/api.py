"""The reports endpoints of docs/api.md: key figures and routine compliance."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kaa.api.auth import require_role
from kaa.api.errors import ApiError
from registry.http import KaaRequest
from registry.models import Role

from .effects import report_json
from .key_figures import KeyFigures, Period
from .selectors.compliance import ComplianceResult, compliance
from .selectors.effects import effects_report
from .selectors.key_figures import key_figures

router = Router(tags=["reports"])

# The longest period the endpoints compute (and its previous period as long).
MAX_PERIOD_DAYS = 3 * 366


class PeriodQuery(Schema):
    start: datetime.date = Field(..., alias="from")
    end: datetime.date = Field(..., alias="to")


class ComplianceQuery(PeriodQuery):
    sample: int | None = None
    seed: int | None = None


# The largest seed drawn for a sample asked for without one.
MAX_SEED = 1_000_000


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
def key_figures_endpoint(request: KaaRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Numbers, not suppressed: figures under 5 are hidden only in public reports."""
    require_role(request, Role.MANAGER, Role.BOARD_SECRETARY)
    period = period_from_query(query.start, query.end)
    figures = key_figures(user=request.user, period=period, today=timezone.localdate())
    return key_figures_json(figures)


def compliance_json(result: ComplianceResult) -> dict[str, Any]:
    return {
        "period": _period_json(result.period, result.as_of),
        "total": result.total,
        "sample": result.sample,
        "seed": result.seed,
        "areas": result.areas,
        "cases": [
            {"enrolment": case.enrolment_id, **case.ratings, "reasons": case.reasons}
            for case in result.cases
        ],
    }


@router.get("/compliance/", summary="Routine compliance in the auditors' four areas")
def compliance_endpoint(request: KaaRequest, query: Query[ComplianceQuery]) -> dict[str, Any]:
    """All enrolments active in the period, or a reproducible sample of ``sample`` drawn with ``seed``.

    Without a seed one is drawn and answered, so the same sample can be asked for again.
    """
    require_role(request, Role.MANAGER)
    period = period_from_query(query.start, query.end)
    if query.sample is not None and query.sample < 1:
        raise ApiError(400, {"sample": [_("Stickprovet måste omfatta minst 1 inskrivning.")]})
    if query.seed is not None and query.seed < 0:
        # random.Random(-s) draws as random.Random(s): two seeds, one sample, is confusing.
        raise ApiError(400, {"seed": [_("Slumpfröet måste vara 0 eller större.")]})
    seed = query.seed
    if query.sample is not None and seed is None:
        seed = secrets.randbelow(MAX_SEED)
    result = compliance(
        user=request.user,
        period=period,
        today=timezone.localdate(),
        sample=query.sample,
        seed=seed,
    )
    return compliance_json(result)


@router.get("/effects/", summary="Outcomes 6 and 12 months after the measures ended in a period")
def effects_endpoint(request: KaaRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Per measure type and in total (docs/api.md, Effects); counts are not suppressed here."""
    require_role(request, Role.MANAGER, Role.BOARD_SECRETARY)
    period = period_from_query(query.start, query.end)
    report = effects_report(user=request.user, period=period, today=timezone.localdate())
    return report_json(report)
