"""The board report's figures as a public record shows them (docs/domain.md, "Public figures").

Pure: KeyFigures in, rows of display values out. Every count of 1-4
young people becomes "<5" (0 is shown as 0) (``suppression.suppress_count``); a share, a median
or a change computed from a hidden count is not shown either, since it would
give that count away.
"""

from __future__ import annotations

from dataclasses import dataclass

from .key_figures import (
    COUNT_FIGURES,
    FIGURE_BASE,
    FIGURE_CODES,
    FIGURE_LABELS,
    FIGURE_NUMERATOR,
    Comparison,
    KeyFigures,
    Period,
    PeriodFigures,
    target_status,
)
from .suppression import (
    NOT_SHOWN,
    is_suppressed,
    suppress_count,
    suppress_derived,
    suppress_partition,
)

# Figures of the dashboard that stay out of the public report: the base of the
# 4-week share is shown through the share itself.
OMITTED_FROM_BOARD_REPORT = frozenset({"judged_4_weeks"})

Display = int | float | str


@dataclass(frozen=True)
class PublicRow:
    code: str
    label: str
    current: Display
    previous: Display
    change: Display
    change_percent: Display
    # The same period a year earlier and the change since (NOT_SHOWN when not computed).
    year_ago: Display = NOT_SHOWN
    year_change: Display = NOT_SHOWN


def _base(figures: PeriodFigures, code: str) -> int | None:
    """The smallest count of young people a share or median is computed from.

    A share's numerator counts too: 0 % or 50 % of six young people tells how
    many of them are behind it.
    """
    if code in figures.median_counts:
        return figures.median_counts[code]
    base = figures.values.get(FIGURE_BASE[code])
    if base is None:
        return None
    counts = [int(base)]
    if code in FIGURE_NUMERATOR:
        numerator = figures.values.get(FIGURE_NUMERATOR[code])
        if numerator is None:
            return None
        # A numerator of 0 is shown as 0 (0 % points at nobody); 1-4 gives the share away.
        if int(numerator) > 0:
            counts.append(int(numerator))
    return min(counts)


def _change(comparison: Comparison, *, hidden: bool) -> tuple[Display, Display]:
    if hidden:
        return NOT_SHOWN, NOT_SHOWN
    change = comparison.change
    percent = comparison.change_percent
    return (NOT_SHOWN if change is None else change, NOT_SHOWN if percent is None else percent)


def _shown_pair(
    figures: KeyFigures,
    code: str,
    comparison: Comparison,
    earlier: PeriodFigures | None,
) -> tuple[Display, Display, Display, Display]:
    """(current, earlier, change, change %) as shown, for the current period against ``earlier``."""
    if code in COUNT_FIGURES:
        current, previous = comparison.current, comparison.previous
        hidden = is_suppressed(_int(current)) or is_suppressed(_int(previous))
        change, percent = _change(comparison, hidden=hidden)
        return suppress_count(_int(current)), suppress_count(_int(previous)), change, percent
    current_shown = suppress_derived(comparison.current, base=_base(figures.current, code))
    earlier_base = _base(earlier, code) if earlier is not None else None
    previous_shown = suppress_derived(comparison.previous, base=earlier_base)
    hidden = current_shown == NOT_SHOWN or previous_shown == NOT_SHOWN
    change, percent = _change(comparison, hidden=hidden)
    return current_shown, previous_shown, change, percent


def public_row(figures: KeyFigures, code: str) -> PublicRow:
    label = str(FIGURE_LABELS[code])
    current, previous, change, percent = _shown_pair(
        figures, code, figures.comparison(code), figures.previous
    )
    year_ago: Display = NOT_SHOWN
    year_change: Display = NOT_SHOWN
    if figures.year_ago is not None:
        _current, year_ago, year_change, _percent = _shown_pair(
            figures, code, figures.year_ago_comparison(code), figures.year_ago
        )
    return PublicRow(code, label, current, previous, change, percent, year_ago, year_change)


def _int(value: int | float | None) -> int | None:
    return None if value is None else int(value)


def public_rows(figures: KeyFigures) -> list[PublicRow]:
    return [
        public_row(figures, code) for code in FIGURE_CODES if code not in OMITTED_FROM_BOARD_REPORT
    ]


def public_occupation_rows(figures: KeyFigures, labels: dict[str, str]) -> list[PublicRow]:
    """The occupation breakdown; its counts add up to ``active``, so they are suppressed together."""
    comparisons = figures.occupation_comparisons()
    categories = list(comparisons)
    current = suppress_partition(
        [int(comparisons[c].current or 0) for c in categories],
        total=_int(figures.current.values.get("active")),
    )
    previous = suppress_partition(
        [int(comparisons[c].previous or 0) for c in categories],
        total=_int(figures.previous.values.get("active")),
    )
    year_ago: list[int | str] = [NOT_SHOWN] * len(categories)
    if figures.year_ago is not None:
        year_ago = suppress_partition(
            [int(figures.year_ago.by_occupation.get(c, 0)) for c in categories],
            total=_int(figures.year_ago.values.get("active")),
        )
    rows = []
    for index, category in enumerate(categories):
        hidden = not isinstance(current[index], int) or not isinstance(previous[index], int)
        change, percent = _change(comparisons[category], hidden=hidden)
        year_change: Display = NOT_SHOWN
        if isinstance(current[index], int) and isinstance(year_ago[index], int):
            year_change = int(current[index]) - int(year_ago[index])
        rows.append(
            PublicRow(
                category,
                labels.get(category, category),
                current[index],
                previous[index],
                change,
                percent,
                year_ago[index],
                year_change,
            )
        )
    return rows


@dataclass(frozen=True)
class PublicAttainment:
    label: str
    target: float
    value: Display
    status: str


def public_attainment(
    figures: KeyFigures,
    targets: dict[str, float],
    labels: dict[str, str],
    extra: dict[str, tuple[float | None, int | None]] | None = None,
) -> list[PublicAttainment]:
    """Goal attainment; a value from fewer than 5 young people is not shown nor judged.

    ``extra`` gives (value, base) for target figures that are not key figures.
    """
    rows = []
    for figure, target in targets.items():
        if extra and figure in extra:
            value, base = extra[figure]
        else:
            value = figures.current.values.get(figure)
            base = _base(figures.current, figure) if figure in FIGURE_BASE else None
        shown = suppress_derived(value, base=base)
        status = "" if shown == NOT_SHOWN else target_status(value, float(target))
        rows.append(PublicAttainment(labels.get(figure, figure), float(target), shown, status))
    return rows


MONTH_ABBREVIATIONS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)


def period_label(period: Period) -> str:
    """A short label for a chart's axis: "jan–jun 2026", "nov 2025–feb 2026", or the dates."""
    if not period.whole_months():
        return f"{period.start:%Y-%m-%d}–{period.end:%Y-%m-%d}"
    start = MONTH_ABBREVIATIONS[period.start.month - 1]
    end = MONTH_ABBREVIATIONS[period.end.month - 1]
    if period.start.year == period.end.year:
        if period.start.month == period.end.month:
            return f"{start} {period.end.year}"
        return f"{start}–{end} {period.end.year}"
    return f"{start} {period.start.year}–{end} {period.end.year}"


def trend_points(trend: list[PeriodFigures], code: str) -> list[tuple[str, float | None]]:
    """A share or median over the periods of a trend; hidden (None, a gap) where its base is
    under 5, as in the board report's tables."""
    points: list[tuple[str, float | None]] = []
    for figures in trend:
        shown = suppress_derived(figures.values.get(code), base=_base(figures, code))
        points.append((period_label(figures.period), shown if isinstance(shown, float) else None))
    return points
