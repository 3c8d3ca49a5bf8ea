"""What happened after a measure (docs/domain.md, "Effects"): pure, no ORM.

For a measure that has ended, its **outcome** N months after the end
(N = 6 and 12; the day D = ``ended_on`` + N calendar months, clamped to the
month's last day: 31 January + 1 month is 28 or 29 February) is the young
person's situation on D, in this order:

1. D is after ``today``: ``not_yet_known``.
2. An enrolment of the young person in the municipality is active on D (the
   same one or a later one; an enrolment is active from its registration day
   up to, not including, its end day): the SCB category of that enrolment's
   occupation in force on D (the latest dated on or before D; the latest
   recorded wins on the same day), ``unknown`` when none is recorded.
3. Otherwise their latest enrolment registered by D ended with reason
   ``started_upper_secondary`` or ``diploma``: ``upper_secondary``.
4. Otherwise (turned 20, moved, emigrated, deceased, other): ``left``.

Known outcomes are all but ``not_yet_known`` and ``left``; "in studies or
work" is ``upper_secondary``, ``work`` and the four ``studies_*`` categories,
as a share of the known outcomes.

The kind-to-category mapping is the register's (``registry.models.youth.
OCCUPATION_SCB_CATEGORY``), passed in as ``category_of`` so this module
imports no app. The same rule runs inside the database for reports and the
young person's page (``casework.selectors.effects``); a randomized test ties
the two.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# The follow-up horizons, in months after the measure ended.
FOLLOW_UP_MONTHS = (6, 12)

NOT_YET_KNOWN = "not_yet_known"
UPPER_SECONDARY = "upper_secondary"
LEFT = "left"
UNKNOWN = "unknown"
# Enrolment end reasons (registry EndReason) that mean the young person left
# KAA for upper-secondary studies.
UPPER_SECONDARY_END_REASONS = frozenset({"started_upper_secondary", "diploma"})

# Every outcome code, in the order reports show them (API: after_N_months keys).
# ``other_activity`` is the register's SCB category for internships, labour-market
# programmes, abroad and other activities: known, but neither studies nor work.
OUTCOME_CODES = (
    UPPER_SECONDARY,
    "work",
    "studies_national",
    "studies_introduction",
    "studies_adult_education",
    "studies_other",
    "other_activity",
    "no_occupation",
    UNKNOWN,
    LEFT,
    NOT_YET_KNOWN,
)
IN_STUDIES_OR_WORK = frozenset(
    {
        UPPER_SECONDARY,
        "work",
        "studies_national",
        "studies_introduction",
        "studies_adult_education",
        "studies_other",
    }
)
NOT_KNOWN = frozenset({NOT_YET_KNOWN, LEFT})


@dataclass(frozen=True)
class EnrolmentFacts:
    """One enrolment of the young person in the municipality, with its occupation history.

    ``occupations`` are (from_date, kind) in the order they were recorded.
    """

    registered_on: date
    ended_on: date | None = None
    end_reason: str = ""
    occupations: Sequence[tuple[date, str]] = field(default_factory=tuple)

    def is_active_on(self, day: date) -> bool:
        return self.registered_on <= day and (self.ended_on is None or self.ended_on > day)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; a day the month lacks becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def outcome_day(ended_on: date, months: int) -> date:
    """The day D the outcome ``months`` after the end is read on."""
    return add_months(ended_on, months)


def occupation_kind_on(occupations: Iterable[tuple[date, str]], day: date) -> str | None:
    """The kind in force on ``day``: the latest dated on or before it (None: none yet).

    On the same date the one recorded last wins.
    """
    current: tuple[date, str] | None = None
    for from_date, kind in occupations:
        if from_date <= day and (current is None or from_date >= current[0]):
            current = (from_date, kind)
    return current[1] if current else None


def occupation_category_on(
    occupations: Iterable[tuple[date, str]], day: date, category_of: Mapping[str, str]
) -> str:
    """The SCB category of the occupation in force on ``day``; ``unknown`` when none is."""
    kind = occupation_kind_on(occupations, day)
    return category_of.get(kind, UNKNOWN) if kind else UNKNOWN


def _latest(enrolments: Sequence[EnrolmentFacts], keep) -> EnrolmentFacts | None:
    """The latest enrolment (by registration, then end; later in the sequence on a tie)."""
    best: tuple[tuple[date, date], int] | None = None
    for index, enrolment in enumerate(enrolments):
        if not keep(enrolment):
            continue
        key = (enrolment.registered_on, enrolment.ended_on or date.max)
        if best is None or (key, index) >= best:
            best = (key, index)
    return enrolments[best[1]] if best else None


def situation_on(
    enrolments: Sequence[EnrolmentFacts], day: date, *, category_of: Mapping[str, str]
) -> str:
    """Steps 2-4 of the rule: the young person's situation on ``day``, whatever today is."""
    active = _latest(enrolments, lambda e: e.is_active_on(day))
    if active is not None:
        return occupation_category_on(active.occupations, day, category_of)
    latest = _latest(enrolments, lambda e: e.registered_on <= day)
    if latest is not None and latest.end_reason in UPPER_SECONDARY_END_REASONS:
        return UPPER_SECONDARY
    return LEFT


def outcome(
    *,
    ended_on: date,
    months: int,
    enrolments: Sequence[EnrolmentFacts],
    today: date,
    category_of: Mapping[str, str],
) -> str:
    """The outcome code of a measure ended on ``ended_on``, ``months`` months afterwards."""
    day = outcome_day(ended_on, months)
    if day > today:
        return NOT_YET_KNOWN
    return situation_on(enrolments, day, category_of=category_of)


def is_known(code: str) -> bool:
    return code not in NOT_KNOWN


def in_studies_or_work_share(counts: Mapping[str, int]) -> float | None:
    """The share in studies or work among the known outcomes; None when none is known."""
    known = sum(count for code, count in counts.items() if is_known(code))
    if not known:
        return None
    return sum(counts.get(code, 0) for code in IN_STUDIES_OR_WORK) / known


def known_count(counts: Mapping[str, int]) -> int:
    return sum(count for code, count in counts.items() if is_known(code))
