"""Small server-side SVG charts: the same markup goes into the dashboard and the board PDF.

Pure: labels and numbers in, an SVG string out. No scripts and no style
attributes (the site's CSP forbids inline styles); colours are presentation
attributes. ``suppress`` hides counts of 1-4 (the public-report rule): such a bar is
not drawn and is labelled "<5", so its height reveals nothing; 0 is labelled 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from .suppression import is_suppressed, suppress_count

BAR_COLOUR = "#0b5394"
LINE_COLOUR = "#0b5394"
GRID_COLOUR = "#d8dce2"
TEXT_COLOUR = "#1b1f24"
# The target: dark red, dashed and labelled "Mål", so it is told apart without colour.
TARGET_COLOUR = "#9c1c1c"
FONT = 'font-family="DejaVu Sans, sans-serif"'


def _scale_max(values: Sequence[float]) -> float:
    top = max([value for value in values if value is not None] or [0])
    return top if top > 0 else 1


def _value_label(value: float | None, *, suppress: bool) -> str:
    if value is None:
        return "–"
    if suppress:
        return str(suppress_count(int(value)))
    return f"{value:g}".replace(".", ",")  # Swedish decimal comma


# Roughly how wide one character of the 12-pixel label font is (readable on screen and paper).
CHARACTER_WIDTH = 7


def _wrap(label: str, width: float) -> list[str]:
    """Split a label into at most two lines that fit ``width`` pixels (the rest is cut)."""
    fits = max(int(width / CHARACTER_WIDTH), 3)
    if len(label) <= fits:
        return [label]
    lines: list[str] = [""]
    for word in label.split():
        candidate = f"{lines[-1]} {word}".strip()
        if len(candidate) <= fits or not lines[-1]:
            lines[-1] = candidate
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = candidate
    return [line if len(line) <= fits else line[: fits - 1] + "…" for line in lines]


def _label(x: float, y: float, label: str, width: float) -> str:
    lines = _wrap(label, width)
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if index == 0 else 14}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y}" text-anchor="middle" font-size="12" {FONT} '
        f'fill="{TEXT_COLOUR}">{spans}</text>'
    )


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]


def _target_mark(x1: float, x2: float, y: float, target: float, unit: str) -> str:
    """A dashed line at the target with its value written beside it ("Mål 90 %")."""
    return (
        f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="{TARGET_COLOUR}" '
        f'stroke-width="2" stroke-dasharray="6 3"/>'
        f'<text x="{x2:.1f}" y="{y - 3:.1f}" text-anchor="end" font-size="12" {FONT} '
        f'fill="{TARGET_COLOUR}">{escape(f"Mål {float(target):g}{unit}")}</text>'
    )


def bar_chart(
    items: Sequence[tuple[str, float | None]],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
    suppress: bool = False,
    label_every: int = 1,
    targets: Mapping[int, float] | None = None,
    unit: str = "",
    maximum: float | None = None,
) -> str:
    """Vertical bars with the value above each and the label below (every ``label_every``-th).

    ``targets`` draws a dashed "Mål" mark across the bar at that index; ``unit`` follows
    each value (e.g. " %"); ``maximum`` fixes the scale (100 for shares).
    """
    top_margin, bottom_margin, side_margin = 20, 48, 8
    plot_height = height - top_margin - bottom_margin
    count = max(len(items), 1)
    slot = (width - 2 * side_margin) / count
    bar_width = max(slot * 0.7, 1)
    targets = targets or {}
    maximum = maximum or _scale_max(
        [value or 0 for _label, value in items] + [float(value) for value in targets.values()]
    )
    parts = _open(width, height, title)
    baseline = top_margin + plot_height
    parts.append(
        f'<line x1="{side_margin}" y1="{baseline}" x2="{width - side_margin}" y2="{baseline}" '
        f'stroke="{GRID_COLOUR}"/>'
    )
    for index, (label, value) in enumerate(items):
        x = side_margin + index * slot + (slot - bar_width) / 2
        centre = x + bar_width / 2
        hidden = suppress and value is not None and is_suppressed(int(value))
        if value and not hidden:
            bar_height = plot_height * value / maximum
            parts.append(
                f'<rect x="{x:.1f}" y="{baseline - bar_height:.1f}" width="{bar_width:.1f}" '
                f'height="{bar_height:.1f}" fill="{BAR_COLOUR}"/>'
            )
            value_y = baseline - bar_height - 4
        else:
            value_y = baseline - 4
        shown = _value_label(value, suppress=suppress)
        if unit and value is not None and not hidden:
            shown += unit
        parts.append(
            f'<text x="{centre:.1f}" y="{value_y:.1f}" text-anchor="middle" font-size="12" '
            f'{FONT} fill="{TEXT_COLOUR}">{escape(shown)}</text>'
        )
        if index in targets:
            target_y = baseline - plot_height * float(targets[index]) / maximum
            parts.append(_target_mark(x - 2, x + bar_width + 2, target_y, targets[index], unit))
        if index % label_every == 0:
            parts.append(_label(centre, baseline + 14, label, slot * label_every))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
    label_every: int = 1,
    target: float | None = None,
    unit: str = "",
    maximum: float | None = None,
    show_title: bool = False,
) -> str:
    """A line through the points (gaps where a value is None), labels below.

    ``target`` draws a dashed "Mål" line across the chart; ``unit`` follows each value;
    ``show_title`` writes the title above the line (several charts in a row).
    """
    top_margin, bottom_margin, side_margin = (40 if show_title else 20), 48, 40
    plot_height = height - top_margin - bottom_margin
    count = max(len(points), 1)
    step = (width - 2 * side_margin) / max(count - 1, 1)
    extra = [float(target)] if target is not None else []
    maximum = maximum or _scale_max([value or 0 for _label, value in points] + extra)
    baseline = top_margin + plot_height
    parts = _open(width, height, title)
    if show_title:
        parts.append(
            f'<text x="4" y="16" font-size="13" font-weight="bold" {FONT} '
            f'fill="{TEXT_COLOUR}">{escape(title)}</text>'
        )
    parts.append(
        f'<line x1="{side_margin}" y1="{baseline}" x2="{width - side_margin}" y2="{baseline}" '
        f'stroke="{GRID_COLOUR}"/>'
    )
    if target is not None:
        target_y = baseline - plot_height * float(target) / maximum
        parts.append(_target_mark(side_margin, width - 4, target_y, target, unit))
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (label, value) in enumerate(points):
        x = side_margin + index * step
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            y = baseline - plot_height * value / maximum
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{LINE_COLOUR}"/>')
            parts.append(
                f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="12" '
                f'{FONT} fill="{TEXT_COLOUR}">'
                f"{escape(_value_label(value, suppress=False) + unit)}</text>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{baseline + 14}" text-anchor="middle" font-size="12" '
                f'{FONT} fill="{TEXT_COLOUR}">{escape(label)}</text>'
            )
    if segment:
        segments.append(segment)
    for line in segments:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{LINE_COLOUR}" '
            f'stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
