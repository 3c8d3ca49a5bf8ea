"""The age rule: the responsibility ends on the 20th birthday (Skollagen 29:9). No database."""

import datetime

import pytest

from followup.ageing import (
    has_turned_20,
    latest_birth_date_turned_20,
    turns_20_within,
    twentieth_birthday,
)

D = datetime.date


@pytest.mark.parametrize(
    ("birth_date", "birthday"),
    [
        (D(2006, 11, 25), D(2026, 11, 25)),
        (D(2008, 2, 29), D(2028, 2, 29)),  # 20 years after a leap day is a leap day
        (D(2080, 2, 29), D(2100, 3, 1)),  # 2100 is a common year: 1 March
        (D(2006, 12, 31), D(2026, 12, 31)),
    ],
)
def test_twentieth_birthday(birth_date, birthday):
    assert twentieth_birthday(birth_date) == birthday


@pytest.mark.parametrize(
    ("today", "turned"),
    [(D(2026, 11, 24), False), (D(2026, 11, 25), True), (D(2026, 11, 26), True)],
)
def test_has_turned_20_on_the_birthday_not_the_day_before(today, turned):
    assert has_turned_20(D(2006, 11, 25), today=today) is turned


@pytest.mark.parametrize(
    "birth_date",
    [D(2006, 11, 25), D(2008, 2, 29), D(2080, 2, 29), D(2080, 2, 28), D(2080, 3, 1)],
)
@pytest.mark.parametrize("offset", [-2, -1, 0, 1, 2])
def test_queryset_cutoff_agrees_with_the_pure_rule(birth_date, offset):
    """The set-based filter (birth_date <= cutoff) says what the per-person rule says."""
    today = twentieth_birthday(birth_date) + datetime.timedelta(days=offset)
    assert (birth_date <= latest_birth_date_turned_20(today)) is has_turned_20(
        birth_date, today=today
    )


@pytest.mark.parametrize(
    ("today", "warned"),
    [
        (D(2026, 10, 25), False),  # 31 days ahead
        (D(2026, 10, 26), True),  # 30 days ahead
        (D(2026, 11, 24), True),
        (D(2026, 11, 25), False),  # the birthday itself: ended, no longer a warning
    ],
)
def test_turns_20_within_30_days(today, warned):
    assert turns_20_within(D(2006, 11, 25), today=today) is warned
