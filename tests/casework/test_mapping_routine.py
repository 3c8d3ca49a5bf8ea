"""A dated mapping closes the routine's "offer conversation" step; its date is required."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework import routine
from casework.models import Mapping, RoutineState
from casework.services.contacts import contact_attempt_record
from tests.casework.factories import youth_enrolment

pytestmark = pytest.mark.usefixtures("frozen_today")

D = datetime.date
DAYS = routine.RoutineDays()
REACHED_BY_PHONE = [routine.Attempt(D(2026, 9, 3), "phone", "reached")]


def run(as_of, mapped_on=None, attempts=REACHED_BY_PHONE):
    return routine.evaluate(
        registered_on=D(2026, 9, 1),
        ended_on=None,
        attempts=attempts,
        days=DAYS,
        as_of=as_of,
        mapped_on=mapped_on,
    ).next_step


def test_a_dated_mapping_closes_the_offer_conversation_step():
    assert run(D(2026, 9, 10)).code == routine.OFFER_CONVERSATION
    step = run(D(2026, 9, 20), mapped_on=D(2026, 9, 15))
    # The regular follow-up counts from the mapping, the latest conversation.
    assert (step.code, step.due) == (routine.REGULAR_FOLLOWUP, D(2026, 12, 14))


def test_a_mapping_counts_from_its_date_on():
    assert run(D(2026, 9, 14), mapped_on=D(2026, 9, 15)).code == routine.OFFER_CONVERSATION


def test_before_contact_a_mapping_changes_nothing():
    letter = [routine.Attempt(D(2026, 9, 3), "letter", "not_reached")]
    assert run(D(2026, 9, 20), mapped_on=D(2026, 9, 15), attempts=letter).code == (
        routine.SECOND_ATTEMPT
    )


@pytest.fixture
def contacted(municipality, coordinator):
    enrolment = youth_enrolment(municipality, coordinator, registered_on=D(2026, 11, 1))
    contact_attempt_record(
        user=coordinator,
        enrolment=enrolment,
        date=D(2026, 11, 3),
        channel="phone",
        party="youth",
        outcome="reached",
    )
    return enrolment


MAPPING = {
    "version": 0,
    "situation": "Hemma",
    "interests": "",
    "needs": "",
    "obstacles": "",
    "own_goal": "Bli snickare",
}


@pytest.mark.django_db
def test_saving_a_dated_mapping_moves_the_next_step(coordinator_client, contacted):
    assert RoutineState.objects.get(enrolment=contacted).next_step == routine.OFFER_CONVERSATION
    url = reverse("casework:mapping", args=[contacted.pk])
    assert coordinator_client.post(url, MAPPING | {"date": "2026-11-10"}).status_code == 302
    state = RoutineState.objects.get(enrolment=contacted)
    assert (state.next_step, state.next_due) == (routine.REGULAR_FOLLOWUP, D(2027, 2, 8))
    page = coordinator_client.get(
        reverse("casework:enrolment_contacts", args=[contacted.pk])
    ).content.decode()
    assert "Regelbunden uppföljning, senast 2027-02-08" in page
    assert "Erbjud samtal och kartläggning" not in page


@pytest.mark.django_db
def test_a_mapping_without_date_is_refused_in_swedish(
    coordinator_client, coordinator_api, contacted
):
    url = reverse("casework:mapping", args=[contacted.pk])
    response = coordinator_client.post(url, MAPPING | {"date": ""})
    assert response.status_code == 200
    assert "Ange datum för kartläggningen." in response.content.decode()
    assert not Mapping.objects.exists()
    answer = coordinator_api.put(
        f"/api/v1/enrolments/{contacted.pk}/mapping/", {"situation": "Hemma", "version": 0}
    )
    assert answer.status_code == 400
    assert answer.json() == {"errors": {"date": ["Ange datum för kartläggningen."]}}
    assert RoutineState.objects.get(enrolment=contacted).next_step == routine.OFFER_CONVERSATION
