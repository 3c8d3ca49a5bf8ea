"""Key figures (docs/domain.md, "Key figures"): periods, comparison and the figures' definitions.

Pure: dates and numbers in, dataclasses out; nothing from the ORM. The
database work is in ``reports.selectors.key_figures``. Definitions, for a
period [from, to] judged on ``as_of`` = the earlier of ``to`` and today:

- ``active``: enrolments registered on or before ``as_of`` and not ended by it
  (an enrolment ended on a day is no longer active that day).
- ``active_during``: enrolments active on some day of the period.
- ``new_registrations``: registered within the period; ``dropouts_this_school_year``
  of them: source ``dropout_national_programme`` and registered on or after
  1 August of the school year ``as_of`` falls in.
- ``not_reached``: active, and no attempt with outcome ``reached`` by ``as_of``.
- ``reached_within_4_weeks_share``: of the registrations in the period that are
  at least ``CONTACT_GOAL_DAYS`` old on ``as_of`` (old enough to judge), the
  share whose contact was established within ``CONTACT_GOAL_DAYS`` days.
- ``median_days_to_first_attempt`` / ``median_days_to_contact``: over the
  registrations in the period that have one by ``as_of``.
- ``by_occupation``: the latest occupation (from_date on or before ``as_of``)
  of each active enrolment, in SCB's categories; none recorded counts as unknown.
- ``in_activity_share``: of the active, those whose latest occupation is an
  activity (``OCCUPATIONS_IN_ACTIVITY``).
- ``returned_to_studies``: ended within the period with reason
  ``started_upper_secondary``.
- ``im_students``: young people marked as IM students on ``as_of`` (beside KAA,
  never in it; read from the young people's history).
- ``population_16_19``: the manager's latest figure dated on or before ``to``.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The goal most municipalities set: an established contact within 4 weeks.
CONTACT_GOAL_DAYS = 28
# The school year starts on 1 August (docs/domain.md, "Key figures").
SCHOOL_YEAR_START_MONTH = 8

# The figures compared between periods, in the order reports show them.
FIGURE_CODES = (
    "active",
    "active_during",
    "new_registrations",
    "dropouts_this_school_year",
    "not_reached",
    "judged_4_weeks",
    "reached_within_4_weeks",
    "reached_within_4_weeks_share",
    "median_days_to_first_attempt",
    "median_days_to_contact",
    "in_activity",
    "in_activity_share",
    "returned_to_studies",
    "im_students",
    "population_16_19",
)
# Figures that count young people (suppressed under 5 in public reports); the rest
# are shares or medians.
COUNT_FIGURES = frozenset(
    {
        "active",
        "active_during",
        "new_registrations",
        "dropouts_this_school_year",
        "not_reached",
        "judged_4_weeks",
        "reached_within_4_weeks",
        "in_activity",
        "returned_to_studies",
        "im_students",
        "population_16_19",
    }
)

FIGURE_LABELS = {
    "active": _("Ungdomar i KAA vid periodens slut (aktiva inskrivningar)"),
    "active_during": _("Ungdomar i KAA någon gång under perioden"),
    "new_registrations": _("Nya inskrivningar"),
    "dropouts_this_school_year": _("varav avbrott från nationellt program under läsåret"),
    "not_reached": _("Ej fått kontakt"),
    "judged_4_weeks": _("Inskrivna minst 4 veckor (underlag för kontakt inom 4 veckor)"),
    "reached_within_4_weeks": _("Kontakt etablerad inom 4 veckor"),
    "reached_within_4_weeks_share": _("Andel kontakt inom 4 veckor (%)"),
    "median_days_to_first_attempt": _("Mediantid till första kontaktförsök (dagar)"),
    "median_days_to_contact": _("Mediantid till etablerad kontakt (dagar)"),
    "in_activity": _("I aktivitet"),
    "in_activity_share": _("Andel i aktivitet (%)"),
    "returned_to_studies": _("Återgått till gymnasiestudier"),
    "im_students": _("Elever på introduktionsprogram (IM), utanför KAA"),
    "population_16_19": _("Befolkning 16–19 år"),
}
# For a share or a median: the count of young people it is computed from (its base).
FIGURE_BASE = {
    "reached_within_4_weeks_share": "judged_4_weeks",
    "in_activity_share": "active",
    # A median's own count (PeriodFigures.median_counts) is used when known.
    "median_days_to_first_attempt": "new_registrations",
    "median_days_to_contact": "new_registrations",
}
# For a share: the count it is a share of (its numerator), hidden in public when small.
FIGURE_NUMERATOR = {
    "reached_within_4_weeks_share": "reached_within_4_weeks",
    "in_activity_share": "in_activity",
}
# A target is met at its value; within this many percentage points below it is amber.
TARGET_AMBER_MARGIN = 10

Number = int | float


def target_status(value: float | None, target: float | None) -> str:
    """ "ok" (green) when the target is reached, "warn" (amber) close to it, "bad" (red), "" unknown."""
    if value is None or target is None:
        return ""
    if value >= target:
        return "ok"
    if value >= target - TARGET_AMBER_MARGIN:
        return "warn"
    return "bad"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before this one: as many whole months when it is whole months
        (a half-year is compared with the half-year before, 1 July-31 December), else as
        many days."""
        end = self.start - datetime.timedelta(days=1)
        months = self.whole_months()
        if months:
            return Period(start=_add_months(self.start, -months), end=end)
        return Period(start=end - datetime.timedelta(days=self.days - 1), end=end)

    def year_earlier(self) -> Period:
        """The same period a year before (a season compared with the same season): whole
        months shift by twelve months, other periods by a year (29 February as the 28th)."""
        months = self.whole_months()
        if months:
            after = _add_months(self.end + datetime.timedelta(days=1), -12)
            return Period(
                start=_add_months(self.start, -12), end=after - datetime.timedelta(days=1)
            )
        return Period(start=_year_before(self.start), end=_year_before(self.end))

    def whole_months(self) -> int:
        """How many calendar months the period spans when it runs from a 1st to a month's
        last day; 0 otherwise."""
        if self.start.day != 1 or (self.end + datetime.timedelta(days=1)).day != 1:
            return 0
        after = self.end + datetime.timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    def as_of(self, today: datetime.date) -> datetime.date:
        """The day the period's state is judged on: its end, or today if that is earlier."""
        return min(self.end, today)


def _add_months(first_of_month: datetime.date, count: int) -> datetime.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _year_before(day: datetime.date) -> datetime.date:
    if day.month == 2 and day.day == 29:
        return datetime.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def school_year_start(day: datetime.date) -> datetime.date:
    """1 August of the school year ``day`` falls in."""
    year = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
    return datetime.date(year, SCHOOL_YEAR_START_MONTH, 1)


def share(part: int, whole: int) -> float | None:
    """Per cent with one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


def median_days(pairs: Iterable[tuple[datetime.date, datetime.date | None]]) -> float | None:
    """The median of (later - earlier) in days over the pairs that have a later date."""
    days = [(later - earlier).days for earlier, later in pairs if later is not None]
    if not days:
        return None
    return float(statistics.median(days))


@dataclass(frozen=True)
class Comparison:
    current: Number | None
    previous: Number | None

    @property
    def change(self) -> Number | None:
        if self.current is None or self.previous is None:
            return None
        difference = self.current - self.previous
        return round(difference, 1) if isinstance(difference, float) else difference

    @property
    def change_percent(self) -> float | None:
        """The change in per cent of the previous value; None when the previous is 0 or unknown."""
        if self.current is None or not self.previous:
            return None
        return round(100 * (self.current - self.previous) / self.previous, 1)

    def as_dict(self) -> dict[str, Number | None]:
        return {
            "current": self.current,
            "previous": self.previous,
            "change": self.change,
            "change_percent": self.change_percent,
        }


@dataclass(frozen=True)
class PeriodFigures:
    """One period's figures, by code (FIGURE_CODES) and by SCB occupation category."""

    period: Period
    as_of: datetime.date
    values: dict[str, Number | None]
    by_occupation: dict[str, int]
    # How many young people each median is computed from (the public report hides small ones).
    median_counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CoordinatorLoad:
    coordinator_id: int | None
    name: str
    caseload: int
    overdue: int


@dataclass(frozen=True)
class KeyFigures:
    current: PeriodFigures
    previous: PeriodFigures
    coordinators: list[CoordinatorLoad] = field(default_factory=list)
    # The same period a year earlier (the board report: a season against the same season).
    year_ago: PeriodFigures | None = None

    def comparison(self, code: str) -> Comparison:
        return Comparison(self.current.values.get(code), self.previous.values.get(code))

    def year_ago_comparison(self, code: str) -> Comparison:
        earlier = self.year_ago.values.get(code) if self.year_ago else None
        return Comparison(self.current.values.get(code), earlier)

    def comparisons(self) -> dict[str, Comparison]:
        return {code: self.comparison(code) for code in FIGURE_CODES}

    def occupation_comparisons(self) -> dict[str, Comparison]:
        categories = list(self.current.by_occupation)
        for category in self.previous.by_occupation:
            if category not in categories:
                categories.append(category)
        return {
            category: Comparison(
                self.current.by_occupation.get(category, 0),
                self.previous.by_occupation.get(category, 0),
            )
            for category in categories
        }
