"""registry.eligibility: pure, boundaries on the birthdays, no database."""

import datetime

import pytest

from registry import eligibility

BIRTH = datetime.date(2008, 5, 17)
TODAY = datetime.date(2028, 6, 1)


def check(registered_on, *, active=False, im=False, birth=BIRTH, today=TODAY):
    return eligibility.check(
        birth_date=birth,
        registered_on=registered_on,
        today=today,
        has_active_enrolment=active,
        is_im_student=im,
    )


@pytest.mark.parametrize(
    ("registered_on", "eligible"),
    [
        (datetime.date(2024, 5, 16), False),  # the day before the 16th birthday
        (datetime.date(2024, 5, 17), True),  # the 16th birthday
        (datetime.date(2026, 9, 1), True),
        (datetime.date(2028, 5, 16), True),  # the day before the 20th birthday
        (datetime.date(2028, 5, 17), False),  # the 20th birthday
        (datetime.date(2028, 5, 18), False),
    ],
)
def test_age_sixteen_to_nineteen_on_the_registration_date(registered_on, eligible):
    assert (check(registered_on) == []) is eligible


def test_too_young_message_says_when_sixteen():
    (message,) = check(datetime.date(2024, 5, 16))
    assert "15 år" in message
    assert "2024-05-17" in message


def test_turned_twenty_message_gives_the_birthday():
    (message,) = check(datetime.date(2028, 5, 17))
    assert "fyllde 20 år den 2028-05-17" in message


def test_future_registration_date_is_refused():
    (message,) = check(TODAY + datetime.timedelta(days=1), birth=datetime.date(2010, 1, 1))
    assert "framtiden" in message


def test_today_is_allowed():
    assert check(TODAY, birth=datetime.date(2010, 1, 1)) == []


def test_active_enrolment_is_refused():
    (message,) = check(datetime.date(2026, 9, 1), active=True)
    assert "redan en aktiv inskrivning" in message


def test_im_student_is_never_enrolled():
    (message,) = check(datetime.date(2026, 9, 1), im=True)
    assert "introduktionsprogram (IM)" in message


def test_all_refusals_are_reported_with_their_fields():
    found = eligibility.refusals(
        birth_date=BIRTH,
        registered_on=datetime.date(2030, 1, 1),
        today=TODAY,
        has_active_enrolment=True,
        is_im_student=True,
    )
    assert [r.field for r in found] == ["registered_on", "registered_on", "youth", "youth"]


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (datetime.date(2025, 2, 28), 16),  # born 29 Feb 2008: birthday counted on 1 March
        (datetime.date(2025, 3, 1), 17),
        (datetime.date(2028, 2, 29), 20),
    ],
)
def test_leap_day_birthdays(day, age):
    assert eligibility.age_on(datetime.date(2008, 2, 29), day) == age


def test_twentieth_birthday_of_leap_day_child():
    assert eligibility.twentieth_birthday(datetime.date(2007, 2, 28)) == datetime.date(2027, 2, 28)
    assert eligibility.twentieth_birthday(datetime.date(2008, 2, 29)) == datetime.date(2028, 2, 29)
    assert eligibility.birthday(datetime.date(2008, 2, 29), 17) == datetime.date(2025, 3, 1)
