"""GET /api/v1/reports/effects/ (docs/api.md, Effects): built cases read back as counts."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from casework.models import Measure, Plan
from reports.key_figures import Period
from reports.selectors.effects import effects_report
from tests.conftest import api_client_for
from tests.factories import UserFactory

from .factories import enrolment, occupation

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/api/v1/reports/effects/"
TODAY = D(2026, 11, 24)
FIRST_HALF_2025 = {"from": "2025-01-01", "to": "2025-06-30"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def measure(enrolment_, ended_on, type_="internship", **fields):
    plan, _created = Plan.objects.get_or_create(enrolment=enrolment_)
    return Measure.objects.create(plan=plan, type=type_, ended_on=ended_on, **fields)


@pytest.fixture
def cases(municipality, other_municipality):
    """Five measures ended in the first half of 2025, one in the half-year before."""
    # 1. Ended 2025-02-10; working from May; still enrolled: work at 6 and 12 months.
    worker = enrolment(municipality, D(2024, 9, 1))
    occupation(worker, D(2024, 9, 1), "none")
    occupation(worker, D(2025, 5, 1), "work")
    measure(worker, D(2025, 2, 10))
    # 2. Ended 2025-03-31; left KAA for upper-secondary on 2025-08-20: at 6 months
    #    (2025-09-30) and 12 months upper_secondary.
    student = enrolment(
        municipality,
        D(2024, 10, 1),
        ended_on=D(2025, 8, 20),
        end_reason="started_upper_secondary",
    )
    measure(student, D(2025, 3, 31))
    # 3. Ended 2025-06-30, moved away on 2025-12-30 (D at 6 months): left at 6 and 12.
    mover = enrolment(
        municipality, D(2024, 8, 1), ended_on=D(2025, 12, 30), end_reason="moved_away"
    )
    occupation(mover, D(2024, 8, 1), "adult_education_part_time")
    measure(mover, D(2025, 6, 30), "guidance")
    # 4. Ended 2025-06-30, no occupation ever recorded, still enrolled: unknown, unknown.
    silent = enrolment(municipality, D(2025, 1, 15))
    measure(silent, D(2025, 6, 30), "guidance")
    # 5. Ended 2025-01-01 in folk high school from Feb; turned 20 on 2025-11-01: 6 months
    #    (2025-07-01) studies_other, 12 months left.
    folk = enrolment(municipality, D(2024, 3, 1), ended_on=D(2025, 11, 1), end_reason="turned_20")
    occupation(folk, D(2025, 2, 1), "folk_high_school")
    measure(folk, D(2025, 1, 1))
    # Not in the period: ended the half-year before, still open, another municipality.
    measure(worker, D(2024, 12, 31), "guidance")
    measure(worker, None)
    measure(enrolment(other_municipality, D(2024, 9, 1)), D(2025, 3, 1))


def test_manager_reads_the_built_cases_back(manager_api, cases):
    response = manager_api.get(URL, FIRST_HALF_2025)
    assert response.status_code == 200
    body = response.json()
    assert body["from"] == "2025-01-01" and body["to"] == "2025-06-30"
    total = body["total"]
    assert total["ended"] == 5
    six = total["after_6_months"]
    assert {code: n for code, n in six.items() if n} == {
        "work": 1,
        "upper_secondary": 1,
        "studies_other": 1,
        "left": 1,
        "unknown": 1,
    }
    twelve = total["after_12_months"]
    assert {code: n for code, n in twelve.items() if n} == {
        "work": 1,
        "upper_secondary": 1,
        "left": 2,
        "unknown": 1,
    }
    # Known at 6 months: work, upper_secondary, studies_other, unknown: 3 of 4.
    assert total["in_studies_or_work_6"] == 0.75
    assert total["in_studies_or_work_12"] == pytest.approx(2 / 3, abs=1e-4)
    by_type = {row["type"]: row for row in body["by_measure_type"]}
    assert set(by_type) == {"internship", "guidance"}
    assert by_type["internship"]["ended"] == 3
    assert by_type["guidance"]["ended"] == 2
    assert by_type["guidance"]["after_6_months"]["left"] == 1
    assert by_type["guidance"]["after_6_months"]["unknown"] == 1
    assert by_type["guidance"]["in_studies_or_work_6"] == 0.0
    # Every key of the contract is there, zeros included.
    for key in (
        "upper_secondary",
        "work",
        "studies_national",
        "studies_introduction",
        "studies_adult_education",
        "studies_other",
        "no_occupation",
        "unknown",
        "left",
        "not_yet_known",
    ):
        assert key in six


def test_outcomes_not_yet_known_give_a_null_share(manager_api, municipality):
    measure(enrolment(municipality, D(2026, 1, 10)), D(2026, 9, 1))
    body = manager_api.get(URL, {"from": "2026-07-01", "to": "2026-12-31"}).json()
    assert body["total"]["ended"] == 1
    assert body["total"]["after_6_months"]["not_yet_known"] == 1
    assert body["total"]["after_12_months"]["not_yet_known"] == 1
    assert body["total"]["in_studies_or_work_6"] is None
    assert body["total"]["in_studies_or_work_12"] is None


def test_board_secretary_may_read_effects(board_secretary_api, cases):
    response = board_secretary_api.get(URL, FIRST_HALF_2025)
    assert response.status_code == 200
    assert response.json()["total"]["ended"] == 5


def test_another_municipality_sees_only_its_own(other_municipality, cases):
    stranger = UserFactory(role="manager", municipality=other_municipality)
    body = api_client_for(stranger).get(URL, FIRST_HALF_2025).json()
    assert body["total"]["ended"] == 1


@pytest.mark.parametrize("role", ["coordinator", "school", "admin"])
def test_other_roles_are_refused(municipality, role):
    user = UserFactory(role=role, municipality=municipality)
    response = api_client_for(user).get(URL, FIRST_HALF_2025)
    assert response.status_code == 403
    assert "errors" in response.json()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"to": "2025-06-30"}, "from"),
        ({"from": "2025-01-01", "to": "30/06/2025"}, "to"),
        ({"from": "2025-01-01", "to": "2024-12-01"}, "to"),
        ({"from": "2019-01-01", "to": "2025-06-30"}, "to"),
    ],
)
def test_bad_dates_answer_400_with_the_field(manager_api, query, field):
    response = manager_api.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_without_token_401(client):
    assert client.get(URL, FIRST_HALF_2025).status_code == 401


def test_the_report_takes_one_select_however_many_measures(
    manager, municipality, django_assert_num_queries
):
    for day in range(1, 29):
        person = enrolment(municipality, D(2024, 9, 1))
        occupation(person, D(2024, 9, day), "work")
        measure(person, D(2025, 2, day), "guidance" if day % 2 else "internship")
    # One SELECT, and the SET LOCAL that keeps PostgreSQL's JIT out of it.
    with django_assert_num_queries(2) as captured:
        report = effects_report(
            user=manager, period=Period(D(2025, 1, 1), D(2025, 6, 30)), today=TODAY
        )
    assert report.total.current.ended == 28
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["SET", "SELECT"]
    assert report.total.current.after[6]["work"] == 28
