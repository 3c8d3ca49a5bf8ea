"""The reports endpoints of docs/api.md: who may call them, their shape and their errors."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from casework.models import Outcome
from tests.conftest import api_client_for
from tests.factories import UserFactory

from .factories import attempt, enrolment

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/api/v1/reports/key-figures/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


@pytest.fixture
def two_registrations(municipality, other_municipality):
    first = enrolment(municipality, D(2026, 9, 1))
    attempt(first, D(2026, 9, 2), Outcome.REACHED)
    enrolment(municipality, D(2026, 7, 10))
    enrolment(other_municipality, D(2026, 9, 3))


def test_manager_gets_the_figures_and_their_change(manager_api, two_registrations):
    response = manager_api.get(URL, {"from": "2026-09-01", "to": "2026-10-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2026-09-01", "to": "2026-10-31", "as_of": "2026-10-31"}
    assert body["previous_period"]["from"] == "2026-07-01"
    assert body["figures"]["new_registrations"] == {
        "current": 1,
        "previous": 1,
        "change": 0,
        "change_percent": 0.0,
    }
    # Counts under 5 are numbers here: suppression is for public reports only.
    assert body["figures"]["active"]["current"] == 2
    assert body["figures"]["median_days_to_contact"]["current"] == 1.0
    assert body["by_occupation"]["unknown"]["current"] == 2
    # Both overdue on 11-24: the first has had no conversation offered since contact on
    # 09-02 (due 09-16), the second no attempt at all since 07-10.
    assert body["coordinators"] == [{"coordinator": None, "name": "", "caseload": 2, "overdue": 2}]


def test_board_secretary_may_read_key_figures(board_secretary_api, two_registrations):
    response = board_secretary_api.get(URL, {"from": "2026-09-01", "to": "2026-10-31"})
    assert response.status_code == 200
    assert response.json()["figures"]["active"]["current"] == 2


def test_coordinator_is_refused(coordinator_api):
    response = coordinator_api.get(URL, {"from": "2026-09-01", "to": "2026-10-31"})
    assert response.status_code == 403
    assert "detail" in response.json()["errors"]


def test_another_municipalitys_manager_sees_only_their_own(other_municipality, two_registrations):
    stranger = UserFactory(role="manager", municipality=other_municipality)
    response = api_client_for(stranger).get(URL, {"from": "2026-09-01", "to": "2026-10-31"})
    assert response.json()["figures"]["new_registrations"]["current"] == 1
    assert response.json()["figures"]["active"]["current"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"to": "2026-10-31"}, "from"),
        ({"from": "2026-09-01", "to": "31/10/2026"}, "to"),
        ({"from": "2026-09-01", "to": "2026-08-01"}, "to"),
    ],
)
def test_bad_dates_answer_400_with_the_field(manager_api, query, field):
    response = manager_api.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_without_token_401(client):
    assert client.get(URL, {"from": "2026-09-01", "to": "2026-10-31"}).status_code == 401
