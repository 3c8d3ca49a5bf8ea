"""The effects rule (casework.effects): boundary cases, no database."""

from __future__ import annotations

from datetime import date

import pytest

from casework import effects
from casework.effects import EnrolmentFacts, add_months, outcome
from registry.models.youth import OCCUPATION_SCB_CATEGORY

TODAY = date(2026, 6, 1)
ENDED = date(2025, 3, 15)  # D at 6 months: 2025-09-15; at 12 months: 2026-03-15


def run(enrolments, *, ended_on=ENDED, months=6, today=TODAY):
    return outcome(
        ended_on=ended_on,
        months=months,
        enrolments=enrolments,
        today=today,
        category_of=OCCUPATION_SCB_CATEGORY,
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 3, 31), 6, date(2025, 9, 30)),
        (date(2025, 7, 15), 6, date(2026, 1, 15)),
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_still_enrolled_gives_the_occupation_in_force_on_the_day():
    enrolment = EnrolmentFacts(
        registered_on=date(2024, 9, 1),
        occupations=((date(2024, 9, 1), "none"), (date(2025, 5, 1), "work")),
    )
    assert run([enrolment]) == "work"


def test_the_day_itself_counts_for_an_occupation_starting_on_d():
    day = date(2025, 9, 15)
    enrolment = EnrolmentFacts(
        registered_on=date(2024, 9, 1),
        occupations=((date(2024, 9, 1), "none"), (day, "adult_education_full_time")),
    )
    assert run([enrolment]) == "studies_adult_education"
    later = EnrolmentFacts(
        registered_on=date(2024, 9, 1),
        occupations=((date(2024, 9, 1), "none"), (day.replace(day=16), "work")),
    )
    assert run([later]) == "no_occupation"


def test_d_is_today_is_known_and_tomorrow_is_not():
    enrolment = EnrolmentFacts(
        registered_on=date(2024, 9, 1), occupations=((date(2024, 9, 1), "work"),)
    )
    assert run([enrolment], today=date(2025, 9, 15)) == "work"
    assert run([enrolment], today=date(2025, 9, 14)) == "not_yet_known"


def test_d_in_the_future_is_not_yet_known_whatever_the_register_says():
    enrolment = EnrolmentFacts(
        registered_on=date(2024, 9, 1), ended_on=date(2025, 4, 1), end_reason="diploma"
    )
    assert run([enrolment], months=12, today=date(2026, 3, 14)) == "not_yet_known"
    assert run([enrolment], months=12, today=date(2026, 3, 15)) == "upper_secondary"


def test_no_occupation_recorded_is_unknown():
    assert run([EnrolmentFacts(registered_on=date(2024, 9, 1))]) == "unknown"
    # Recorded only after D: none was in force on D.
    enrolment = EnrolmentFacts(
        registered_on=date(2024, 9, 1), occupations=((date(2025, 10, 1), "work"),)
    )
    assert run([enrolment]) == "unknown"
    assert (
        run(
            [
                EnrolmentFacts(
                    registered_on=date(2024, 9, 1), occupations=((date(2024, 9, 1), "unknown"),)
                )
            ]
        )
        == "unknown"
    )


def test_an_enrolment_ending_on_d_is_no_longer_active_on_d():
    day = date(2025, 9, 15)
    occupations = ((date(2024, 9, 1), "work"),)
    started = EnrolmentFacts(date(2024, 9, 1), day, "started_upper_secondary", occupations)
    moved = EnrolmentFacts(date(2024, 9, 1), day, "moved_away", occupations)
    day_after = EnrolmentFacts(date(2024, 9, 1), date(2025, 9, 16), "moved_away", occupations)
    assert run([started]) == "upper_secondary"
    assert run([moved]) == "left"
    assert run([day_after]) == "work"


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("started_upper_secondary", "upper_secondary"),
        ("diploma", "upper_secondary"),
        ("turned_20", "left"),
        ("moved_away", "left"),
        ("emigrated", "left"),
        ("deceased", "left"),
        ("other", "left"),
    ],
)
def test_after_the_enrolment_ended_the_reason_decides(reason, expected):
    enrolment = EnrolmentFacts(
        date(2024, 9, 1), date(2025, 4, 1), reason, ((date(2024, 9, 1), "work"),)
    )
    assert run([enrolment]) == expected


def test_a_new_enrolment_after_a_gap_counts_with_its_own_occupation():
    first = EnrolmentFacts(
        date(2024, 9, 1), date(2025, 4, 1), "started_upper_secondary", ((date(2024, 9, 1), "work"),)
    )
    # Came back on 1 August (dropped out again): at 6 months they are in KAA, no occupation yet.
    second = EnrolmentFacts(date(2025, 8, 1), None, "", ())
    assert run([first, second]) == "unknown"
    second_with = EnrolmentFacts(date(2025, 8, 1), None, "", ((date(2025, 8, 1), "none"),))
    assert run([first, second_with]) == "no_occupation"
    # Coming back after D changes nothing on D: they had left for upper-secondary studies.
    back_later = EnrolmentFacts(date(2025, 10, 1), None, "", ((date(2025, 10, 1), "none"),))
    assert run([first, back_later]) == "upper_secondary"


def test_the_latest_ended_enrolment_decides_step_three():
    first = EnrolmentFacts(date(2023, 9, 1), date(2024, 1, 10), "started_upper_secondary")
    second = EnrolmentFacts(date(2024, 3, 1), date(2025, 6, 1), "turned_20")
    assert run([first, second]) == "left"
    assert run([second, first]) == "left"


def test_leap_day_end_reads_twelve_months_later_on_28_february():
    enrolment = EnrolmentFacts(
        registered_on=date(2023, 9, 1),
        occupations=((date(2023, 9, 1), "none"), (date(2025, 3, 1), "work")),
    )
    # 2024-02-29 + 12 months = 2025-02-28: still no occupation then.
    assert run([enrolment], ended_on=date(2024, 2, 29), months=12) == "no_occupation"
    # 31 January + 1 calendar month (the rule's arithmetic) lands on the last of February.
    assert effects.outcome_day(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_the_same_day_the_occupation_recorded_last_wins():
    enrolment = EnrolmentFacts(
        registered_on=date(2024, 9, 1),
        occupations=((date(2025, 5, 1), "work"), (date(2025, 5, 1), "folk_high_school")),
    )
    assert run([enrolment]) == "studies_other"


def test_share_in_studies_or_work_is_among_known_outcomes():
    counts = {"upper_secondary": 1, "work": 2, "no_occupation": 1, "left": 3, "not_yet_known": 5}
    assert effects.in_studies_or_work_share(counts) == 0.75
    assert effects.known_count(counts) == 4
    assert effects.in_studies_or_work_share({"left": 2, "not_yet_known": 1}) is None


def test_every_scb_category_of_the_register_is_an_outcome_code():
    assert set(OCCUPATION_SCB_CATEGORY.values()) <= set(effects.OUTCOME_CODES)
