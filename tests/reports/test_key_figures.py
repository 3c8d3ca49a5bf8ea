"""Key figures on a small data set whose every figure is worked out by hand below.

Today is 2026-11-24. The period is 2026-09-01..2026-10-31 (61 days, judged on
10-31); the previous period is 2026-07-01..2026-08-31 (judged on 08-31). The
school year of both starts on 2026-08-01.

Enrolments of Provkommunen (c1 = coordinator, c2 = other_coordinator):
  A reg 09-01 dropout, c1; letter 09-03 not reached, phone 09-20 reached; work from 09-25
  B reg 09-10 never_started, c1; letter 09-30 not reached, phone 10-15 reached (35 days);
    unknown from 09-10
  C reg 10-20 dropout, unassigned; no attempt; no occupation
  D reg 07-15 dropout, c2; letter 07-20 reached; adult education part-time from 08-01
  E reg 08-10 studiebevis, c2; phone 08-12 not reached, phone 09-05 reached (26 days);
    ended 10-10 started_upper_secondary
  F reg 03-01 moved_in; reached 03-05; ended 08-20 started_upper_secondary
  G reg 08-20 dropout, c1; no attempt; none from 08-20
Another municipality has one enrolment registered 09-05 (never counted).
IM students: two since June, one from June until 10-05, two since 10-01 (and one in
the other municipality). Population figures: 2026-01-01 1000, 2026-09-15 1100.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from casework.models import Channel, Outcome
from registry.models import EndReason, OccupationKind, Source
from reports.key_figures import Comparison, Period, median_days, school_year_start, share
from reports.models import PopulationFigure
from reports.selectors.key_figures import key_figures
from tests.factories import YouthFactory

from .factories import attempt, enrolment, occupation, routine_state

D = datetime.date
TODAY = D(2026, 11, 24)
PERIOD = Period(D(2026, 9, 1), D(2026, 10, 31))


@pytest.fixture
def data_set(municipality, other_municipality, coordinator, other_coordinator):
    m = municipality
    a = enrolment(m, D(2026, 9, 1), coordinator=coordinator)
    attempt(a, D(2026, 9, 3))
    attempt(a, D(2026, 9, 20), Outcome.REACHED, Channel.PHONE)
    occupation(a, D(2026, 9, 25), OccupationKind.WORK)

    b = enrolment(m, D(2026, 9, 10), source=Source.NEVER_STARTED, coordinator=coordinator)
    attempt(b, D(2026, 9, 30))
    attempt(b, D(2026, 10, 15), Outcome.REACHED, Channel.PHONE)
    occupation(b, D(2026, 9, 10), OccupationKind.UNKNOWN)

    c = enrolment(m, D(2026, 10, 20))

    d = enrolment(m, D(2026, 7, 15), coordinator=other_coordinator)
    attempt(d, D(2026, 7, 20), Outcome.REACHED)
    occupation(d, D(2026, 8, 1), OccupationKind.ADULT_EDUCATION_PART_TIME)

    e = enrolment(
        m,
        D(2026, 8, 10),
        source=Source.STUDIEBEVIS,
        coordinator=other_coordinator,
        ended_on=D(2026, 10, 10),
        end_reason=EndReason.STARTED_UPPER_SECONDARY,
    )
    attempt(e, D(2026, 8, 12), channel=Channel.PHONE)
    attempt(e, D(2026, 9, 5), Outcome.REACHED, Channel.PHONE)

    f = enrolment(
        m,
        D(2026, 3, 1),
        source=Source.MOVED_IN,
        ended_on=D(2026, 8, 20),
        end_reason=EndReason.STARTED_UPPER_SECONDARY,
    )
    attempt(f, D(2026, 3, 5), Outcome.REACHED)

    g = enrolment(m, D(2026, 8, 20), coordinator=coordinator)
    occupation(g, D(2026, 8, 20), OccupationKind.NONE)

    stranger = enrolment(other_municipality, D(2026, 9, 5))
    attempt(stranger, D(2026, 9, 6), Outcome.REACHED)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0), tick=False):
        YouthFactory(municipality=m, is_im_student=True)
        YouthFactory(municipality=m, is_im_student=True)
        YouthFactory(municipality=other_municipality, is_im_student=True)
        stopped = YouthFactory(municipality=m, is_im_student=True)
    with time_machine.travel(datetime.datetime(2026, 10, 1, 12, 0), tick=False):
        YouthFactory(municipality=m, is_im_student=True)
        YouthFactory(municipality=m, is_im_student=True)
    with time_machine.travel(datetime.datetime(2026, 10, 5, 12, 0), tick=False):
        stopped.is_im_student = False
        stopped.save()
    PopulationFigure.objects.create(municipality=m, as_of=D(2026, 1, 1), count=1000)
    PopulationFigure.objects.create(municipality=m, as_of=D(2026, 9, 15), count=1100)
    PopulationFigure.objects.create(municipality=other_municipality, as_of=D(2026, 9, 1), count=7)

    # Overdue once today (11-24) is later than overdue_after: A and G, not B nor C (set
    # here); D's state is the routine's own: contact 07-20, conversation due 08-03, overdue.
    routine_state(a, next_step="regular_followup", overdue_after=D(2026, 11, 1))
    routine_state(b, next_step="regular_followup", overdue_after=D(2026, 12, 1))
    routine_state(c, next_step="first_contact", overdue_after=D(2026, 11, 24))
    routine_state(g, next_step="first_contact", overdue_after=D(2026, 11, 23))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


class TestPure:
    @pytest.mark.parametrize(
        ("period", "previous"),
        [
            # Whole months: as many months before (a half-year against the half-year before).
            (PERIOD, Period(D(2026, 7, 1), D(2026, 8, 31))),
            (Period(D(2026, 1, 1), D(2026, 6, 30)), Period(D(2025, 7, 1), D(2025, 12, 31))),
            (Period(D(2026, 7, 1), D(2026, 12, 31)), Period(D(2026, 1, 1), D(2026, 6, 30))),
            (Period(D(2026, 3, 1), D(2026, 3, 31)), Period(D(2026, 2, 1), D(2026, 2, 28))),
            (Period(D(2025, 8, 1), D(2026, 7, 31)), Period(D(2024, 8, 1), D(2025, 7, 31))),
            # Otherwise as many days, ending the day before.
            (Period(D(2026, 8, 1), D(2026, 11, 24)), Period(D(2026, 4, 7), D(2026, 7, 31))),
            (Period(D(2026, 9, 2), D(2026, 10, 31)), Period(D(2026, 7, 4), D(2026, 9, 1))),
            (Period(D(2026, 9, 1), D(2026, 9, 1)), Period(D(2026, 8, 31), D(2026, 8, 31))),
        ],
    )
    def test_previous_period_ends_the_day_before(self, period, previous):
        assert period.previous() == previous

    @pytest.mark.parametrize(
        ("day", "start"),
        [
            (D(2026, 7, 31), D(2025, 8, 1)),
            (D(2026, 8, 1), D(2026, 8, 1)),
            (D(2027, 1, 15), D(2026, 8, 1)),
        ],
    )
    def test_school_year_starts_on_1_august(self, day, start):
        assert school_year_start(day) == start

    def test_share_and_median(self):
        assert share(1, 3) == 33.3
        assert share(1, 0) is None
        assert median_days([(D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 1, 1), None)]) == 2.0
        assert median_days([]) is None

    def test_comparison_change_and_percent(self):
        assert Comparison(5, 3).as_dict() == {
            "current": 5,
            "previous": 3,
            "change": 2,
            "change_percent": 66.7,
        }
        assert Comparison(4, 0).change_percent is None
        assert Comparison(None, 3).change is None


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


@pytest.mark.django_db
class TestKeyFigures:
    def test_current_period(self, data_set, manager):
        figures = key_figures(user=manager, period=PERIOD, today=TODAY).current
        assert figures.as_of == D(2026, 10, 31)
        assert figures.values == {
            # Active on 10-31: A, B, C, D, G (E ended 10-10, F ended 08-20).
            "active": 5,
            # Active on some day of the period: those five and E.
            "active_during": 6,
            # Registered 09-01..10-31: A, B, C; dropouts of them: A, C.
            "new_registrations": 3,
            "dropouts_this_school_year": 2,
            # Active without a reached attempt by 10-31: C, G.
            "not_reached": 2,
            # Registered on or before 10-03 (28 days before 10-31): A, B; within 28 days: A
            # (19 days); B took 35.
            "judged_4_weeks": 2,
            "reached_within_4_weeks": 1,
            "reached_within_4_weeks_share": 50.0,
            # First attempt: A 2 days, B 20 days -> 11; contact: A 19, B 35 -> 27.
            "median_days_to_first_attempt": 11.0,
            "median_days_to_contact": 27.0,
            # In activity: A (work), D (adult education part-time) of 5.
            "in_activity": 2,
            "in_activity_share": 40.0,
            # E ended 10-10 to start upper-secondary school.
            "returned_to_studies": 1,
            # On 10-31: the two since June and the two since 10-01 (not the one who stopped).
            "im_students": 4,
            "population_16_19": 1100,
        }
        # A work; B unknown, C none recorded -> unknown; D adult education; G none.
        assert figures.by_occupation == {
            "no_occupation": 1,
            "work": 1,
            "other_activity": 0,
            "studies_adult_education": 1,
            "studies_other": 0,
            "unknown": 2,
        }

    def test_previous_period(self, data_set, manager):
        figures = key_figures(user=manager, period=PERIOD, today=TODAY).previous
        assert figures.as_of == D(2026, 8, 31)
        assert figures.values == {
            # Active on 08-31: D, E, G (F ended 08-20).
            "active": 3,
            "active_during": 4,
            # Registered 07-01..08-31: D, E, G; a dropout since 08-01: G only (D was 07-15).
            "new_registrations": 3,
            "dropouts_this_school_year": 1,
            # E's contact came 09-05, after 08-31; G has no attempt.
            "not_reached": 2,
            # Registered on or before 08-03: D, reached after 5 days.
            "judged_4_weeks": 1,
            "reached_within_4_weeks": 1,
            "reached_within_4_weeks_share": 100.0,
            # First attempt: D 5, E 2 -> 3.5; contact by 08-31: D 5.
            "median_days_to_first_attempt": 3.5,
            "median_days_to_contact": 5.0,
            "in_activity": 1,
            "in_activity_share": 33.3,
            # F ended 08-20 to start upper-secondary school.
            "returned_to_studies": 1,
            # On 08-31: the two since June and the one who stopped on 10-05.
            "im_students": 3,
            "population_16_19": 1000,
        }
        assert figures.by_occupation["studies_adult_education"] == 1
        assert figures.by_occupation["unknown"] == 1
        assert figures.by_occupation["no_occupation"] == 1
        assert figures.by_occupation["work"] == 0

    def test_change_against_previous_period(self, data_set, manager):
        comparisons = key_figures(user=manager, period=PERIOD, today=TODAY).comparisons()
        assert comparisons["active"].as_dict() == {
            "current": 5,
            "previous": 3,
            "change": 2,
            "change_percent": 66.7,
        }
        assert comparisons["new_registrations"].change == 0
        assert comparisons["new_registrations"].change_percent == 0.0
        assert comparisons["dropouts_this_school_year"].change_percent == 100.0
        assert comparisons["reached_within_4_weeks_share"].change == -50.0
        assert comparisons["reached_within_4_weeks_share"].change_percent == -50.0
        # (11 - 3.5) / 3.5 = 214.29 %
        assert comparisons["median_days_to_first_attempt"].change == 7.5
        assert comparisons["median_days_to_first_attempt"].change_percent == 214.3
        assert comparisons["in_activity_share"].change == 6.7
        assert comparisons["population_16_19"].change_percent == 10.0

    def test_caseload_and_overdue_per_coordinator(
        self, data_set, manager, coordinator, other_coordinator
    ):
        loads = key_figures(user=manager, period=PERIOD, today=TODAY).coordinators
        rows = {(load.coordinator_id, load.caseload, load.overdue) for load in loads}
        # Active today: c1 has A, B, G (A and G overdue); c2 has D (overdue); C is unassigned.
        assert rows == {(coordinator.pk, 3, 2), (other_coordinator.pk, 1, 1), (None, 1, 0)}
        assert loads[-1].coordinator_id is None

    def test_a_fixed_number_of_queries(self, data_set, manager, django_assert_num_queries):
        # Per period one aggregate (counts, occupations, both medians) and the population;
        # the IM students on its last day; then the per-coordinator table.
        with django_assert_num_queries(7):
            key_figures(user=manager, period=PERIOD, today=TODAY)

    def test_figures_of_an_empty_municipality(self, other_municipality, manager):
        figures = key_figures(user=manager, period=PERIOD, today=TODAY)
        assert figures.current.values["active"] == 0
        assert figures.current.values["reached_within_4_weeks_share"] is None
        assert figures.current.values["median_days_to_contact"] is None
        assert figures.current.values["population_16_19"] is None


@pytest.mark.django_db
def test_medians_know_how_many_they_are_computed_from(data_set, manager):
    figures = key_figures(user=manager, period=PERIOD, today=TODAY)
    # This period: A and B had an attempt and a contact; before: D and E an attempt, D contact.
    assert figures.current.median_counts == {
        "median_days_to_first_attempt": 2,
        "median_days_to_contact": 2,
    }
    assert figures.previous.median_counts == {
        "median_days_to_first_attempt": 2,
        "median_days_to_contact": 1,
    }


@pytest.mark.django_db
def test_medians_in_the_database_match_the_pure_median(municipality, manager):
    """PostgreSQL's percentile_cont against ``median_days`` over many registrations."""
    pairs = []
    for index in range(24):  # 16 with an attempt: the median of an even count
        registered = D(2026, 9, 1) + datetime.timedelta(days=index % 20)
        case = enrolment(municipality, registered)
        if index % 3:
            first = registered + datetime.timedelta(days=(index * 7) % 17)
            attempt(case, first)
            pairs.append((registered, first))
        else:
            pairs.append((registered, None))
    values = key_figures(user=manager, period=PERIOD, today=TODAY).current.values
    assert values["median_days_to_first_attempt"] == median_days(pairs)
    assert values["median_days_to_contact"] is None
