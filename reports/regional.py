"""The regional figures as a public record shows them (docs/domain.md, "Regions and moves").

Pure: RegionalFigures in, rows of display values out. The numbers cross municipal
boundaries and end up in public documents, so every count of 1–4 young people is
"<5" everywhere (page, CSV, PDF, API), with ``reports.suppression``: a row of
counts is suppressed as a partition of the region's total, so a hidden count
cannot be worked out from the total and the other municipalities; a share or
median computed from a hidden count is not shown (``board_report.public_row``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import methodcaller
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .board_report import OMITTED_FROM_BOARD_REPORT, Display, public_row
from .compliance import AREA_LABELS, AREAS
from .effects import FOLLOW_UP_MONTHS, public_share
from .key_figures import COUNT_FIGURES, FIGURE_CODES, FIGURE_LABELS, share
from .suppression import NOT_SHOWN, suppress_count, suppress_derived, suppress_partition

if TYPE_CHECKING:
    from .effects import OutcomeCounts
    from .selectors.regional import Column, RegionalFigures

REGIONAL_CODES = tuple(code for code in FIGURE_CODES if code not in OMITTED_FROM_BOARD_REPORT)


@dataclass(frozen=True)
class RegionalRow:
    code: str
    label: str
    values: list[Display]  # one per municipality, in the columns' order
    total: Display


def _count(value: int | float | None) -> int | None:
    return None if value is None else int(value)


def suppress_row(counts: list[int | None], total: int | None) -> tuple[list[Display], Display]:
    """Counts of the municipalities and their total: 0 stays 0, 1–4 is "<5", and a count
    the total would give away is hidden too (secondary suppression)."""
    shown: list[Display] = [NOT_SHOWN if count is None else 0 for count in counts]
    nonzero = [index for index, count in enumerate(counts) if count]
    partition = suppress_partition(
        [int(counts[index] or 0) for index in nonzero],
        total=total if all(count is not None for count in counts) else None,
    )
    for index, value in zip(nonzero, partition, strict=True):
        shown[index] = value
    total_shown: Display = (
        NOT_SHOWN if total is None else (0 if total == 0 else suppress_count(total))
    )
    return shown, total_shown


def figure_rows(figures: RegionalFigures) -> list[RegionalRow]:
    columns = figures.municipalities
    rows = []
    for code in REGIONAL_CODES:
        label = str(FIGURE_LABELS[code])
        if code in COUNT_FIGURES:
            counts = [_count(column.figures.current.values.get(code)) for column in columns]
            values, total = suppress_row(
                counts, _count(figures.total.figures.current.values.get(code))
            )
        else:
            values = [public_row(column.figures, code).current for column in columns]
            total = public_row(figures.total.figures, code).current
        rows.append(RegionalRow(code, label, values, total))
    return rows


def _compliance_share(column: Column, area: str) -> Display:
    counts = column.compliance[area]
    value = share(counts.meets, counts.rated)
    return suppress_derived(value, base=min(counts.meets, counts.rated))


def compliance_rows(figures: RegionalFigures) -> list[RegionalRow]:
    """Per area: the share (%) of the enrolments active in the period whose routine meets."""
    if not figures.total.compliance:
        return []
    rows = [
        RegionalRow(
            "rated",
            str(_("Bedömda inskrivningar")),
            *suppress_row(
                [column.compliance[AREAS[0]].rated for column in figures.municipalities],
                figures.total.compliance[AREAS[0]].rated,
            ),
        )
    ]
    for area in AREAS:
        rows.append(
            RegionalRow(
                area,
                str(_("%(area)s: uppfyller (%%)") % {"area": AREA_LABELS[area]}),
                [_compliance_share(column, area) for column in figures.municipalities],
                _compliance_share(figures.total, area),
            )
        )
    return rows


def effects_rows(figures: RegionalFigures) -> list[RegionalRow]:
    """The measures ended in the period and what followed them (docs/domain.md, "Effects"):
    the counts suppressed as a partition of the region's total, the share in studies or
    work hidden when fewer than 5 outcomes are known or 1–4 young people are behind it."""
    total = figures.total.effects
    if total is None:
        return []
    columns = [column.effects for column in figures.municipalities]
    current = [group.current if group is not None else None for group in columns]

    def counts_row(code: str, label: str, count: Callable[[OutcomeCounts], int]) -> RegionalRow:
        values, shown_total = suppress_row(
            [None if counts is None else count(counts) for counts in current],
            count(total.current),
        )
        return RegionalRow(code, label, values, shown_total)

    rows = [counts_row("ended", str(_("Avslutade insatser")), lambda counts: counts.ended)]
    for months in FOLLOW_UP_MONTHS:
        rows.append(
            counts_row(
                f"known_{months}",
                str(_("Kända utfall efter %(months)s månader") % {"months": months}),
                methodcaller("known", months),
            )
        )
        rows.append(
            RegionalRow(
                f"in_studies_or_work_{months}",
                str(_("I studier eller arbete efter %(months)s månader (%%)") % {"months": months}),
                [
                    NOT_SHOWN if counts is None else public_share(counts, months)
                    for counts in current
                ],
                public_share(total.current, months),
            )
        )
    return rows


def as_json(figures: RegionalFigures) -> dict:
    """docs/domain.md, "Regions and moves": every count 1–4 as the string "<5"."""
    figure_table = figure_rows(figures)
    compliance_table = compliance_rows(figures)
    effects_table = effects_rows(figures)

    def column_json(index: int | None) -> dict:
        def pick(row: RegionalRow) -> Display:
            return row.total if index is None else row.values[index]

        return {
            "figures": {row.code: pick(row) for row in figure_table},
            "compliance": {row.code: pick(row) for row in compliance_table},
            "effects": {row.code: pick(row) for row in effects_table},
        }

    return {
        "region": figures.region.name,
        "from": figures.period.start.isoformat(),
        "to": figures.period.end.isoformat(),
        "as_of": figures.as_of.isoformat(),
        "municipalities": [
            {"code": column.code, "name": column.name, **column_json(index)}
            for index, column in enumerate(figures.municipalities)
        ],
        "total": column_json(None),
    }
