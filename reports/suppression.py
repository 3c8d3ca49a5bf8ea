"""Suppression of small counts in public reports (DOMAIN.md, "Reports").

Board documents are public records: every figure that counts fewer than 5
young people is shown as "<5", so no individual can be recognised. This is
the one place that rule lives; the board report and its charts call it.
"""

from __future__ import annotations

SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "<5"
NOT_SHOWN = "–"


def suppress_count(count: int | None) -> int | str:
    """A count as a public report shows it: "<5" under the threshold, else the number."""
    if count is None:
        return NOT_SHOWN
    if count < SUPPRESSION_THRESHOLD:
        return SUPPRESSED
    return count


def is_suppressed(count: int | None) -> bool:
    return count is not None and count < SUPPRESSION_THRESHOLD


def suppress_derived(value: float | None, *, base: int | None) -> float | str:
    """A share, median or change computed from ``base`` young people: hidden when the base is small.

    A share of 2 young people, or the difference between a hidden count and a
    shown one, would give the hidden count away.
    """
    if value is None or base is None or base < SUPPRESSION_THRESHOLD:
        return NOT_SHOWN
    return value
