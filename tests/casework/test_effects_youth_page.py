"""The young person's page shows what followed each ended measure, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from casework.models import Measure, Plan
from registry.models import Occupation
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def youth_with_measures(municipality, ended: list[datetime.date | None]):
    youth = YouthFactory(municipality=municipality)
    first = EnrolmentFactory(
        youth=youth,
        registered_on=D(2024, 9, 1),
        ended_on=D(2025, 12, 1),
        end_reason="started_upper_secondary",
    )
    Occupation.objects.create(enrolment=first, from_date=D(2025, 1, 10), kind="internship")
    plan = Plan.objects.create(enrolment=first)
    for day in ended:
        Measure.objects.create(plan=plan, type="internship", ended_on=day)
    return youth


def test_each_ended_measure_shows_its_outcomes_or_when_they_are_known(
    coordinator_client, municipality
):
    youth = youth_with_measures(municipality, [D(2025, 3, 31), D(2026, 8, 31), None])
    html = coordinator_client.get(f"/ungdomar/{youth.pk}/").content.decode()
    assert "Efter avslutade insatser" in html
    # Ended 2025-03-31: on 2025-09-30 in an internship (other activity); on 2026-03-31 they
    # had left KAA for upper-secondary studies.
    assert 'data-outcome="other_activity">Annan aktivitet' in html
    assert 'data-outcome="upper_secondary">Gymnasieutbildning (lämnat KAA)' in html
    # Ended 2026-08-31: 6 months is 2027-02-28 (no 31 February), not yet known.
    assert "Känt från 2027-02-28" in html
    assert "Känt från 2027-08-31" in html
    # The measure still running has no row.
    assert html.count('<th scope="row">Praktik/arbetsträning</th>') == 2


def test_no_ended_measure_no_section(coordinator_client, municipality):
    youth = youth_with_measures(municipality, [None])
    assert (
        "Efter avslutade insatser"
        not in coordinator_client.get(f"/ungdomar/{youth.pk}/").content.decode()
    )


def test_the_page_takes_as_many_queries_with_one_or_eight_ended_measures(
    coordinator_client, municipality, django_assert_max_num_queries
):
    one = youth_with_measures(municipality, [D(2025, 3, 31)])
    eight = youth_with_measures(municipality, [D(2025, 3, day) for day in range(1, 9)])
    coordinator_client.get(f"/ungdomar/{one.pk}/")  # session and caches warm
    with django_assert_max_num_queries(60) as few:
        coordinator_client.get(f"/ungdomar/{one.pk}/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator_client.get(f"/ungdomar/{eight.pk}/")
    assert response.content.decode().count('data-outcome="other_activity"') == 8


def test_outcomes_read_in_one_query_without_ended_measures_and_three_with(
    municipality, django_assert_num_queries
):
    from casework.selectors.effects import youth_measure_outcomes

    none_ended = youth_with_measures(municipality, [None])
    eight = youth_with_measures(municipality, [D(2025, 3, day) for day in range(1, 9)])
    today = D(2026, 11, 24)
    with django_assert_num_queries(1):
        assert youth_measure_outcomes(youth_id=none_ended.pk, today=today) == []
    # The measures, the young person's enrolments and their occupations, however many.
    with django_assert_num_queries(3):
        found = youth_measure_outcomes(youth_id=eight.pk, today=today)
    assert [outcome[1] for outcome in found[0].outcomes] == ["other_activity", "upper_secondary"]
