"""Reads for the board report: its content, saved analyses and generated reports."""

from __future__ import annotations

import datetime

from registry.models import User

from ..key_figures import Period
from ..models import BoardAnalysis, BoardReport
from ..pdf import BoardReportContent
from .dashboard import registrations_by_month, school_year_of, targets_for
from .key_figures import key_figures


def analysis_for(user: User, period: Period) -> BoardAnalysis | None:
    return (
        BoardAnalysis.objects.for_user(user)
        .filter(period_from=period.start, period_to=period.end)
        .first()
    )


def board_report_content(user: User, period: Period, *, today: datetime.date) -> BoardReportContent:
    """Everything the board report shows for the period, as aggregates only."""
    figures = key_figures(user=user, period=period, today=today)
    school_year = school_year_of(period.end)
    analysis = analysis_for(user, period)
    return BoardReportContent(
        municipality_name=user.municipality.name if user.municipality else "",
        figures=figures,
        months=registrations_by_month(user, today=min(today, period.end)),
        targets={figure: float(value) for figure, value in targets_for(user, school_year).items()},
        school_year=school_year,
        analysis=analysis.analysis if analysis else "",
        planned_actions=analysis.planned_actions if analysis else "",
        created_on=today,
    )


def board_reports(user: User) -> list[BoardReport]:
    return list(
        BoardReport.objects.for_user(user)
        .select_related("created_by")
        .defer("pdf")
        .order_by("-created_at", "-id")[:30]
    )
