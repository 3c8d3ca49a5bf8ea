"""The age rule of the activity responsibility (Skollagen 29:9): it ends on the 20th birthday.

Pure Python: no ORM. Every day count is a named constant. The birthday itself is
registry.eligibility's, so registration and age-out count it the same way.
"""

from __future__ import annotations

import datetime

from registry.eligibility import AGE_LIMIT as AGE_LIMIT_YEARS
from registry.eligibility import twentieth_birthday as twentieth_birthday

# The worklist warns this many days before the 20th birthday.
AGE_OUT_WARNING_DAYS = 30


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year.

    Swedish practice counts someone born on a leap day as a year older on 1 March
    in common years.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def has_turned_20(birth_date: datetime.date, *, today: datetime.date) -> bool:
    return twentieth_birthday(birth_date) <= today


def latest_birth_date_turned_20(today: datetime.date) -> datetime.date:
    """Everyone born on or before this day has turned 20 by ``today`` (for a queryset filter).

    Agrees with ``twentieth_birthday`` also for leap-day children (tested side by side).
    """
    return add_years(today, -AGE_LIMIT_YEARS)


def turns_20_within(
    birth_date: datetime.date, *, today: datetime.date, days: int = AGE_OUT_WARNING_DAYS
) -> bool:
    """True when the 20th birthday is after today and at most ``days`` ahead."""
    birthday = twentieth_birthday(birth_date)
    return today < birthday <= today + datetime.timedelta(days=days)
