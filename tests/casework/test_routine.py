"""The contact routine (docs/domain.md, "Contact routine"), table-driven, without a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casework.routine import (
    DEVIATION_CODES,
    Attempt,
    NextStep,
    RoutineDays,
    evaluate,
)

REG = date(2026, 1, 1)
DEFAULT = RoutineDays()


def d(n: int) -> date:
    """Day n after registration."""
    return REG + timedelta(days=n)


def att(day: int, channel: str = "letter", outcome: str = "not_reached") -> Attempt:
    return Attempt(d(day), channel, outcome)


def run(attempts, as_of_day, *, days=DEFAULT, ended_day=None, occupation=None):
    return evaluate(
        registered_on=REG,
        ended_on=d(ended_day) if ended_day is not None else None,
        attempts=attempts,
        days=days,
        as_of=d(as_of_day),
        occupation_at_end=occupation,
    )


# (name, attempts, as_of day, expected step code, due day, overdue)
STEP_CASES = [
    # first_contact: due registration + 7, overdue after + 7 tolerance.
    ("no attempt, registration day", [], 0, "first_contact", 7, False),
    ("no attempt, due day", [], 7, "first_contact", 7, False),
    ("no attempt, last day of tolerance", [], 14, "first_contact", 7, False),
    ("no attempt, first day overdue", [], 15, "first_contact", 7, True),
    # second_attempt: first attempt + 30, whatever the first channel.
    ("letter sent", [att(3)], 3, "second_attempt", 33, False),
    ("second attempt tolerance last day", [att(3)], 40, "second_attempt", 33, False),
    ("second attempt overdue", [att(3)], 41, "second_attempt", 33, True),
    ("first attempt by phone", [att(5, "phone")], 6, "second_attempt", 35, False),
    ("first attempt a home visit", [att(5, "home_visit")], 6, "second_attempt", 35, False),
    # home_visit: first attempt + 60, done only by a home visit.
    ("second letter sent", [att(3), att(33)], 33, "home_visit", 63, False),
    ("home visit tolerance last day", [att(3), att(33, "phone")], 70, "home_visit", 63, False),
    ("home visit overdue", [att(3), att(33, "sms")], 71, "home_visit", 63, True),
    (
        "many calls do not replace the visit",
        [att(3), att(10), att(20), att(60)],
        75,
        "home_visit",
        63,
        True,
    ),
    # post_visit_followup: home visit + 30, done by any later attempt.
    (
        "home visit made",
        [att(3), att(33), att(63, "home_visit", "info_sheet_left")],
        63,
        "post_visit_followup",
        93,
        False,
    ),
    (
        "post visit tolerance last day",
        [att(3), att(33), att(63, "home_visit")],
        100,
        "post_visit_followup",
        93,
        False,
    ),
    (
        "post visit overdue",
        [att(3), att(33), att(63, "home_visit")],
        101,
        "post_visit_followup",
        93,
        True,
    ),
    # A step done early is done: a home visit on day 20 counts as the second attempt.
    (
        "early home visit is the second attempt",
        [att(3), att(20, "home_visit")],
        21,
        "post_visit_followup",
        50,
        False,
    ),
    # Started with a home visit: the visit step is done, the second attempt is not.
    (
        "started with visit, then a call",
        [att(5, "home_visit"), att(30, "phone")],
        31,
        "periodic_attempt",
        120,
        False,
    ),
    # periodic_attempt: latest attempt + 90, again and again.
    (
        "after the ladder",
        [att(3), att(33), att(63, "home_visit"), att(93)],
        93,
        "periodic_attempt",
        183,
        False,
    ),
    (
        "periodic tolerance last day",
        [att(3), att(33), att(63, "home_visit"), att(93)],
        190,
        "periodic_attempt",
        183,
        False,
    ),
    (
        "periodic overdue",
        [att(3), att(33), att(63, "home_visit"), att(93)],
        191,
        "periodic_attempt",
        183,
        True,
    ),
    (
        "periodic again",
        [att(3), att(33), att(63, "home_visit"), att(93), att(180)],
        181,
        "periodic_attempt",
        270,
        False,
    ),
    # Reaching the young person at each stage: offer_conversation contact + 14.
    (
        "reached by the first letter",
        [att(3, "letter", "reached")],
        3,
        "offer_conversation",
        17,
        False,
    ),
    (
        "reached at the second attempt",
        [att(3), att(30, "phone", "reached")],
        30,
        "offer_conversation",
        44,
        False,
    ),
    (
        "reached at the home visit",
        [att(3), att(33), att(63, "home_visit", "reached")],
        63,
        "offer_conversation",
        77,
        False,
    ),
    (
        "reached after the visit",
        [att(3), att(33), att(63, "home_visit"), att(90, "sms", "reached")],
        95,
        "offer_conversation",
        104,
        False,
    ),
    (
        "reached in the periodic stage",
        [att(3), att(33), att(63, "home_visit"), att(93), att(170, "phone", "reached")],
        170,
        "offer_conversation",
        184,
        False,
    ),
    (
        "offer conversation tolerance last day",
        [att(3, "phone", "reached")],
        24,
        "offer_conversation",
        17,
        False,
    ),
    (
        "offer conversation overdue",
        [att(3, "phone", "reached")],
        25,
        "offer_conversation",
        17,
        True,
    ),
    (
        "a call after contact is not a conversation",
        [att(3, "phone", "reached"), att(10, "phone", "reached")],
        12,
        "offer_conversation",
        17,
        False,
    ),
    # The conversation: a reached meeting or digital meeting, or any decline.
    ("reached at a meeting", [att(3, "meeting", "reached")], 3, "regular_followup", 93, False),
    (
        "digital meeting after contact",
        [att(3, "phone", "reached"), att(12, "digital_meeting", "reached")],
        12,
        "regular_followup",
        102,
        False,
    ),
    (
        "declined after contact",
        [att(3, "phone", "reached"), att(12, "phone", "declined")],
        12,
        "regular_followup",
        102,
        False,
    ),
    (
        "a meeting not reached is no conversation",
        [att(3, "phone", "reached"), att(12, "meeting", "not_reached")],
        12,
        "offer_conversation",
        17,
        False,
    ),
    # regular_followup: 90 days after the latest reached or declined attempt.
    (
        "regular followup tolerance last day",
        [att(3, "meeting", "reached")],
        100,
        "regular_followup",
        93,
        False,
    ),
    ("regular followup overdue", [att(3, "meeting", "reached")], 101, "regular_followup", 93, True),
    (
        "regular followup counts from the latest reach",
        [att(3, "meeting", "reached"), att(80, "phone", "reached"), att(100, "sms")],
        100,
        "regular_followup",
        170,
        False,
    ),
    # Before contact, a decline is an attempt like any other (only `reached` establishes contact).
    ("declined before contact", [att(3, "phone", "declined")], 4, "second_attempt", 33, False),
    # Only attempts on or before as_of count.
    ("a later attempt does not count yet", [att(3), att(33)], 20, "second_attempt", 33, False),
    (
        "a later reach does not count yet",
        [att(3), att(30, "phone", "reached")],
        29,
        "second_attempt",
        33,
        False,
    ),
    ("asked before any attempt", [att(10)], 9, "first_contact", 7, False),
    # Order of the attempts given does not matter.
    ("unsorted input", [att(33), att(3)], 34, "home_visit", 63, False),
]


@pytest.mark.parametrize(
    ("attempts", "as_of", "code", "due", "overdue"),
    [case[1:] for case in STEP_CASES],
    ids=[case[0] for case in STEP_CASES],
)
def test_next_step(attempts, as_of, code, due, overdue):
    assert run(attempts, as_of).next_step == NextStep(code, d(due), overdue)


def test_contact_established_by_the_first_reached_attempt():
    attempts = [
        att(3),
        att(20, "phone", "declined"),
        att(40, "sms", "reached"),
        att(50, "meeting", "reached"),
    ]
    assert run(attempts, 60).contact_established_on == d(40)
    assert run(attempts, 39).contact_established_on is None


def test_ended_enrolment_has_no_next_step():
    result = run([att(3)], 50, ended_day=45, occupation="work")
    assert result.next_step is None
    assert result.deviations == []


def test_an_end_after_as_of_does_not_count_yet():
    result = run([att(3)], 40, ended_day=45, occupation="work")
    assert result.next_step == NextStep("second_attempt", d(33), False)


SHORT = RoutineDays(
    first_contact_days=3,
    second_attempt_days=10,
    home_visit_days=20,
    post_visit_followup_days=5,
    periodic_attempt_days=30,
    offer_conversation_days=7,
    regular_followup_days=60,
    tolerance_days=2,
)

SETTING_CASES = [
    ([], 5, "first_contact", 3, False),
    ([], 6, "first_contact", 3, True),
    ([att(2)], 3, "second_attempt", 12, False),
    ([att(2)], 14, "second_attempt", 12, False),
    ([att(2)], 15, "second_attempt", 12, True),
    ([att(2), att(12)], 12, "home_visit", 22, False),
    ([att(2), att(12)], 24, "home_visit", 22, False),
    ([att(2), att(12)], 25, "home_visit", 22, True),
    ([att(2), att(12), att(22, "home_visit")], 22, "post_visit_followup", 27, False),
    ([att(2), att(12), att(22, "home_visit")], 29, "post_visit_followup", 27, False),
    ([att(2), att(12), att(22, "home_visit")], 30, "post_visit_followup", 27, True),
    ([att(2), att(12), att(22, "home_visit"), att(27)], 27, "periodic_attempt", 57, False),
    ([att(2), att(12), att(22, "home_visit"), att(27)], 59, "periodic_attempt", 57, False),
    ([att(2), att(12), att(22, "home_visit"), att(27)], 60, "periodic_attempt", 57, True),
    ([att(2, "phone", "reached")], 2, "offer_conversation", 9, False),
    ([att(2, "phone", "reached")], 11, "offer_conversation", 9, False),
    ([att(2, "phone", "reached")], 12, "offer_conversation", 9, True),
    ([att(2, "meeting", "reached")], 2, "regular_followup", 62, False),
    ([att(2, "meeting", "reached")], 64, "regular_followup", 62, False),
    ([att(2, "meeting", "reached")], 65, "regular_followup", 62, True),
]


@pytest.mark.parametrize(("attempts", "as_of", "code", "due", "overdue"), SETTING_CASES)
def test_a_changed_municipality_setting(attempts, as_of, code, due, overdue):
    assert run(attempts, as_of, days=SHORT).next_step == NextStep(code, d(due), overdue)


def test_from_settings_reads_every_day_count():
    class Settings:
        first_contact_days = 3
        second_attempt_days = 10
        home_visit_days = 20
        post_visit_followup_days = 5
        periodic_attempt_days = 30
        offer_conversation_days = 7
        regular_followup_days = 60
        tolerance_days = 2

    assert RoutineDays.from_settings(Settings()) == SHORT
    assert RoutineDays.from_settings(None) == DEFAULT


# (name, attempts, as_of day, ended day, occupation at end, expected deviations)
DEVIATION_CASES = [
    ("nothing yet, within tolerance", [], 14, None, None, []),
    (
        "no attempt past registration + 7 + T",
        [],
        15,
        None,
        None,
        ["first_contact_late", "no_contact_documented"],
    ),
    ("first attempt on the last tolerated day", [att(14)], 200, None, None, []),
    ("first attempt one day too late", [att(15)], 200, None, None, ["first_contact_late"]),
    ("a late attempt not yet made counts as none", [att(15)], 14, None, None, []),
    (
        "home visit on the last tolerated day",
        [att(3), att(33), att(70, "home_visit")],
        80,
        None,
        None,
        [],
    ),
    (
        "home visit one day too late",
        [att(3), att(33), att(71, "home_visit")],
        80,
        None,
        None,
        ["home_visit_late"],
    ),
    (
        "late home visit that reached",
        [att(3), att(33), att(95, "home_visit", "reached")],
        95,
        None,
        None,
        ["home_visit_late"],
    ),
    (
        "a visit after contact is not the ladder's",
        [att(3, "phone", "reached"), att(95, "home_visit", "reached")],
        95,
        None,
        None,
        [],
    ),
    (
        "started with a home visit",
        [att(5, "home_visit")],
        6,
        None,
        None,
        ["started_with_home_visit"],
    ),
    (
        "late start with a home visit",
        [att(20, "home_visit", "reached")],
        20,
        None,
        None,
        ["first_contact_late", "started_with_home_visit"],
    ),
    (
        "ended with unknown occupation",
        [att(3, "meeting", "reached")],
        50,
        40,
        "unknown",
        ["occupation_unknown_at_end"],
    ),
    (
        "ended with no occupation recorded",
        [att(3, "meeting", "reached")],
        50,
        40,
        None,
        ["occupation_unknown_at_end"],
    ),
    ("ended with work", [att(3, "meeting", "reached")], 50, 40, "work", []),
    ("ended with no known occupation is known", [att(3, "meeting", "reached")], 50, 40, "none", []),
    ("not ended yet on as_of", [att(3, "meeting", "reached")], 39, 40, "unknown", []),
    (
        "ended after tolerance with no attempt",
        [],
        50,
        30,
        "work",
        ["first_contact_late", "no_contact_documented"],
    ),
    (
        "ended before the first letter was due, asked after registration + 7 + T",
        [],
        50,
        5,
        "work",
        ["first_contact_late", "no_contact_documented"],
    ),
    ("ended early, asked within registration + 7 + T", [], 14, 5, "work", []),
]


@pytest.mark.parametrize(
    ("attempts", "as_of", "ended", "occupation", "expected"),
    [case[1:] for case in DEVIATION_CASES],
    ids=[case[0] for case in DEVIATION_CASES],
)
def test_deviations(attempts, as_of, ended, occupation, expected):
    assert run(attempts, as_of, ended_day=ended, occupation=occupation).deviations == expected


def test_every_deviation_code_is_covered():
    covered = {code for case in DEVIATION_CASES for code in case[5]}
    assert covered == set(DEVIATION_CODES)


def test_every_step_code_is_covered():
    from casework.routine import STEP_CODES

    assert {case[3] for case in STEP_CASES} == set(STEP_CODES)


def test_tolerance_setting_moves_the_deviation_boundary():
    days = RoutineDays(tolerance_days=0)
    assert run([att(7)], 30, days=days).deviations == []
    assert run([att(8)], 30, days=days).deviations == ["first_contact_late"]


# (attempts, as_of day, expected deviations) under SHORT: registration + 3 + 2
# and first attempt + 20 + 2 are the boundaries.
SETTING_DEVIATION_CASES = [
    ([], 5, []),
    ([], 6, ["first_contact_late", "no_contact_documented"]),
    ([att(5)], 30, []),
    ([att(6)], 30, ["first_contact_late"]),
    ([att(2), att(12), att(24, "home_visit")], 30, []),
    ([att(2), att(12), att(25, "home_visit")], 30, ["home_visit_late"]),
]


@pytest.mark.parametrize(("attempts", "as_of", "expected"), SETTING_DEVIATION_CASES)
def test_a_changed_municipality_setting_moves_the_deviations(attempts, as_of, expected):
    assert run(attempts, as_of, days=SHORT).deviations == expected
