"""Suppression of small counts in public reports (docs/domain.md, "Public figures").

Board documents are public records: every figure that counts one to four
young people is shown as "<5", so no individual can be recognised. A count of
0 is shown as 0: it points at nobody, and "<5" for an empty month reads as if
someone were there. This is the one place that rule lives; the board report
and its charts call it.
"""

from __future__ import annotations

from collections.abc import Sequence

SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "<5"
NOT_SHOWN = "–"


def suppress_count(count: int | None) -> int | str:
    """A count as a public report shows it: "<5" for 1-4, else the number (0 included)."""
    if count is None:
        return NOT_SHOWN
    if is_suppressed(count):
        return SUPPRESSED
    return count


def is_suppressed(count: int | None) -> bool:
    """1-4 young people: too few to show. 0 is shown (nobody to recognise)."""
    return count is not None and 0 < count < SUPPRESSION_THRESHOLD


def suppress_derived(value: float | None, *, base: int | None) -> float | str:
    """A share, median or change computed from ``base`` young people: hidden when the base is small.

    A share of 2 young people, or the difference between a hidden count and a
    shown one, would give the hidden count away.
    """
    if value is None or base is None or base < SUPPRESSION_THRESHOLD:
        return NOT_SHOWN
    return value


def suppress_partition(counts: Sequence[int], *, total: int | None) -> list[int | str]:
    """Counts that add up to a ``total`` the report also shows (a table row, a breakdown).

    Each count of 1-4 becomes "<5"; but when the hidden counts could be worked
    out from the total and the shown ones (a single hidden count, or hidden
    counts that can only all be 4), the smallest shown count above 0 is hidden
    too ("–", secondary suppression; a shown 0 hides nothing, so it stays 0
    unless it is the only count left to hide).
    """
    shown: list[int | str] = [suppress_count(count) for count in counts]
    if total is None:
        return shown
    primary = [index for index, count in enumerate(counts) if is_suppressed(count)]
    visible = [index for index in range(len(counts)) if index not in primary]
    if not primary or not visible:
        return shown
    rest = total - sum(counts[index] for index in visible)
    # One hidden count is the rest; several are pinned only when each must be 4.
    # Once a count of 5 or more is hidden beside them, none is pinned above zero.
    if rest > 0 and (len(primary) == 1 or rest == (SUPPRESSION_THRESHOLD - 1) * len(primary)):
        candidates = [index for index in visible if counts[index] > 0] or visible
        smallest = min(candidates, key=lambda index: counts[index])
        shown[smallest] = NOT_SHOWN
    return shown
