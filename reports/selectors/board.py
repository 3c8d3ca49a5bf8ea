"""Reads for the board report: its content, saved analyses and generated reports."""

from __future__ import annotations

import datetime
from typing import Any

from registry.models import User

from ..compliance import AREA_LABELS, AREAS, MEETS, NOT, PARTLY
from ..effects import effects_section
from ..key_figures import Period
from ..models import BoardAnalysis, BoardReport, TargetFigure
from ..pdf import BoardReportContent
from ..suppression import suppress_count, suppress_partition
from .compliance import compliance
from .dashboard import registrations_by_month, school_year_of, targets_for
from .effects import effects_report
from .key_figures import key_figures_with_trend


def analysis_for(user: User, period: Period) -> BoardAnalysis | None:
    return (
        BoardAnalysis.objects.for_user(user)
        .filter(period_from=period.start, period_to=period.end)
        .first()
    )


def _compliance_row(area: str, counts: dict[str, int], total: int) -> tuple[str, Any, Any, Any]:
    meets, partly, not_met = suppress_partition(
        [counts[MEETS], counts[PARTLY], counts[NOT]], total=total
    )
    return str(AREA_LABELS[area]), meets, partly, not_met


def board_report_content(user: User, period: Period, *, today: datetime.date) -> BoardReportContent:
    """Everything the board report shows for the period, as aggregates only."""
    # A season is compared with the same season too, not only with the period before;
    # the trend over four periods and the comparisons come from one pass.
    figures, trend = key_figures_with_trend(user=user, period=period, today=today, year_ago=True)
    school_year = school_year_of(period.end)
    analysis = analysis_for(user, period)
    rated = compliance(user=user, period=period, today=today)
    areas = rated.areas
    contact_share, contact_meets = rated.contact_meets()
    return BoardReportContent(
        municipality_name=user.municipality.name if user.municipality else "",
        figures=figures,
        trend=trend,
        months=registrations_by_month(user, today=min(today, period.end)),
        targets={figure: float(value) for figure, value in targets_for(user, school_year).items()},
        school_year=school_year,
        analysis=analysis.analysis if analysis else "",
        planned_actions=analysis.planned_actions if analysis else "",
        created_on=today,
        # Each row adds up to the total shown beneath: suppressed together (no subtraction).
        compliance_rows=[_compliance_row(area, areas[area], len(rated.cases)) for area in AREAS]
        if rated.cases
        else [],
        compliance_total=suppress_count(len(rated.cases)),
        # The contact target's share hides when the cases meeting it, or all rated, are few.
        extra_target_values={
            TargetFigure.CONTACT_COMPLIANCE: (contact_share, min(contact_meets, len(rated.cases)))
        },
        effects=effects_section(effects_report(user=user, period=period, today=today), public=True),
    )


def board_reports(user: User) -> list[BoardReport]:
    return list(
        BoardReport.objects.for_user(user)
        .select_related("created_by")
        .defer("pdf")
        .order_by("-created_at", "-id")[:30]
    )
