"""The board report as a PDF (WeasyPrint): cover, figures, charts, compliance, goals, analysis.

Only aggregate figures, with counts under 5 suppressed (``board_report``), and
the manager's own text go in; no young person's name, personnummer or case.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from registry.models import ScbOccupationCategory

from .board_report import (
    PublicAttainment,
    PublicRow,
    public_attainment,
    public_occupation_rows,
    public_rows,
)
from .charts import bar_chart
from .key_figures import KeyFigures
from .models import TargetFigure
from .suppression import NOT_SHOWN

MONTH_LABEL = "%Y-%m"


@dataclass
class BoardReportContent:
    municipality_name: str
    figures: KeyFigures
    months: list[tuple[datetime.date, int]]
    targets: dict[str, float]
    school_year: int
    analysis: str = ""
    planned_actions: str = ""
    created_on: datetime.date | None = None
    # Rows of the compliance table: (area label, meets, partly, not), counts already public.
    compliance_rows: list[tuple[str, Any, Any, Any]] = field(default_factory=list)
    compliance_total: Any = None
    extra_target_values: dict[str, tuple[float | None, int | None]] = field(default_factory=dict)
    effects: dict[str, Any] | None = None  # reports.effects.effects_section, public form


def board_report_context(content: BoardReportContent) -> dict[str, Any]:
    def row_count(category: str, shown: object) -> float | None:
        # "<5" keeps its (hidden) bar label from the true count; "–" has neither.
        if shown == NOT_SHOWN:
            return None
        return content.figures.current.by_occupation.get(category, 0)

    occupation_labels = {code: str(label) for code, label in ScbOccupationCategory.choices}
    target_labels = {code: str(label) for code, label in TargetFigure.choices}
    rows: list[PublicRow] = public_rows(content.figures)
    occupations = public_occupation_rows(content.figures, occupation_labels)
    attainment: list[PublicAttainment] = public_attainment(
        content.figures, content.targets, target_labels, extra=content.extra_target_values
    )
    return {
        "content": content,
        "period": content.figures.current.period,
        "previous": content.figures.previous.period,
        "rows": rows,
        "occupations": occupations,
        "attainment": attainment,
        "months_chart": bar_chart(
            [(month.strftime(MONTH_LABEL), count) for month, count in content.months],
            title=_("Nya inskrivningar per månad, senaste 24 månaderna"),
            width=640,
            suppress=True,
            label_every=3,
        ),
        # The chart shows what the table shows: a secondarily hidden count has no bar.
        "occupation_chart": bar_chart(
            [(str(row.label), row_count(row.code, row.current)) for row in occupations],
            title=_("Sysselsättning vid periodens slut"),
            width=640,
            suppress=True,
        ),
    }


def render_board_report_html(content: BoardReportContent) -> str:
    return render_to_string("reports/board_report_pdf.html", board_report_context(content))


def render_board_report_pdf(content: BoardReportContent) -> bytes:
    return HTML(string=render_board_report_html(content)).write_pdf()
