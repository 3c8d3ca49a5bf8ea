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
    trend_points,
)
from .charts import bar_chart, line_chart
from .key_figures import FIGURE_LABELS, KeyFigures, PeriodFigures
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
    # The period and the three before it, oldest first (the shares' trend lines).
    trend: list[PeriodFigures] = field(default_factory=list)


# The results on the cover, in order: the ones a board asks about first.
HEADLINE_FIGURES = (
    "active",
    "new_registrations",
    "reached_within_4_weeks_share",
    "in_activity_share",
    "returned_to_studies",
)
# The shares drawn in one chart with their targets.
SHARE_FIGURES = ("reached_within_4_weeks_share", "in_activity_share")


@dataclass(frozen=True)
class Headline:
    label: str
    current: Any
    previous: Any
    year_ago: Any
    unit: str  # " %" after a shown share, else ""


def headlines(rows: list[PublicRow]) -> list[Headline]:
    """Three to five headline results for the cover, as the tables show them (suppressed)."""
    by_code = {row.code: row for row in rows}
    return [
        Headline(
            label=by_code[code].label,
            current=by_code[code].current,
            previous=by_code[code].previous,
            year_ago=by_code[code].year_ago,
            unit=" %"
            if code.endswith("_share") and isinstance(by_code[code].current, float)
            else "",
        )
        for code in HEADLINE_FIGURES
        if code in by_code
    ]


def compliance_share_rows(
    rows: list[tuple[str, Any, Any, Any]], total: int | None
) -> list[tuple[str, Any, Any, Any]]:
    """Each area's ratings as shares (%) of the rated cases; a hidden count hides its share."""

    def as_share(count: Any) -> Any:
        if not isinstance(count, int) or not total:
            return NOT_SHOWN
        return round(100 * count / total, 1)

    return [
        (label, as_share(meets), as_share(partly), as_share(not_met))
        for label, meets, partly, not_met in rows
    ]


def share_chart(
    figures: KeyFigures, targets: dict[str, float], rows: list[PublicRow], *, width: int
) -> str:
    """The period's shares as bars (hidden ones undrawn), each with its target marked."""
    by_code = {row.code: row for row in rows}
    items: list[tuple[str, float | None]] = []
    marks: dict[int, float] = {}
    for index, code in enumerate(SHARE_FIGURES):
        shown = by_code[code].current if code in by_code else NOT_SHOWN
        items.append((str(FIGURE_LABELS[code]), shown if isinstance(shown, float) else None))
        if code in targets:
            marks[index] = float(targets[code])
    return bar_chart(
        items,
        title=_("Andelar under perioden, med nämndens mål"),
        width=width,
        targets=marks,
        unit=" %",
        maximum=100,
    )


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
    year_ago = content.figures.year_ago
    compliance_total = (
        content.compliance_total if isinstance(content.compliance_total, int) else None
    )
    compliance_shares = compliance_share_rows(content.compliance_rows, compliance_total)
    contact_target = content.targets.get(TargetFigure.CONTACT_COMPLIANCE)
    return {
        "content": content,
        "period": content.figures.current.period,
        "previous": content.figures.previous.period,
        "year_ago": year_ago.period if year_ago else None,
        "headlines": headlines(rows),
        "rows": rows,
        "compliance_shares": compliance_shares,
        "compliance_chart": bar_chart(
            [
                (str(label), meets if isinstance(meets, float) else None)
                for label, meets, _partly, _not in compliance_shares
            ],
            title=_("Andel som uppfyller rutinen per område"),
            width=640,
            targets={0: float(contact_target)} if contact_target is not None else None,
            unit=" %",
            maximum=100,
        )
        if compliance_shares
        else "",
        "share_chart": share_chart(content.figures, content.targets, rows, width=640),
        "trend_charts": [
            line_chart(
                trend_points(content.trend, code),
                title=str(FIGURE_LABELS[code]),
                width=640,
                target=content.targets.get(code),
                unit=" %",
                maximum=100,
                show_title=True,
            )
            for code in SHARE_FIGURES
        ]
        if content.trend
        else [],
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
