"""Number formatting for the report pages and the board PDF."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: object) -> str:
    """A figure: "–" when unknown, one decimal for shares and medians, text (e.g. "<5") as is."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float):
        return number_format(value, decimal_pos=1, use_l10n=True)
    return number_format(value, use_l10n=True)


@register.filter
def signed(value: object) -> str:
    """A change with its sign: +2, -1,5, 0."""
    text = figure(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return f"+{text}"
    return text
