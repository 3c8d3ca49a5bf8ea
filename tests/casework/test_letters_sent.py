"""One printed letter is logged as a contact attempt only when the user confirms it was sent."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import ContactAttempt, RoutineState
from tests.casework.factories import youth_enrolment
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def enrolment(municipality, coordinator):
    return youth_enrolment(
        municipality,
        coordinator,
        registered_on=TODAY - datetime.timedelta(days=10),
        first_name="Åsa",
        last_name="Ek",
    )


def sent_url(enrolment):
    return reverse("casework:letter_sent", args=[enrolment.pk])


def contacts_url(enrolment):
    return reverse("casework:enrolment_contacts", args=[enrolment.pk])


def test_printing_one_letter_logs_nothing(enrolment, coordinator_client):
    response = coordinator_client.get(
        reverse("casework:letter_pdf", args=[enrolment.pk]), {"kind": "first_letter"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert not ContactAttempt.objects.exists()


def test_confirming_logs_a_letter_attempt_and_moves_the_routine(
    enrolment, coordinator, coordinator_client
):
    page = coordinator_client.get(contacts_url(enrolment)).content.decode()
    assert f'action="{sent_url(enrolment)}"' in page
    response = coordinator_client.post(
        sent_url(enrolment), {"kind": "first_letter", "next": contacts_url(enrolment)}, follow=True
    )
    assert response.redirect_chain[-1][0] == contacts_url(enrolment)
    assert "Första brevet till Åsa Ek är loggat som kontaktförsök." in response.content.decode()
    attempt = ContactAttempt.objects.get()
    assert (attempt.date, attempt.channel, attempt.party, attempt.outcome) == (
        TODAY,
        "letter",
        "youth",
        "not_reached",
    )
    assert attempt.recorded_by == coordinator and attempt.note == "Första brevet skickat."
    assert attempt.history.get().history_user == coordinator
    state = RoutineState.objects.get(enrolment=enrolment)
    assert (state.next_step, state.next_due) == ("second_attempt", TODAY + datetime.timedelta(30))


def test_get_is_not_allowed(enrolment, coordinator_client):
    assert coordinator_client.get(sent_url(enrolment)).status_code == 405
    assert not ContactAttempt.objects.exists()


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("info_sheet", "Informationsbladet lämnas vid ett hembesök"),
        ("love_letter", "Välj vilket brev som skickades."),
        ("", "Välj vilket brev som skickades."),
    ],
)
def test_refused_kinds_log_nothing(enrolment, coordinator_client, kind, message):
    response = coordinator_client.post(sent_url(enrolment), {"kind": kind}, follow=True)
    assert message in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_after_the_end_is_refused_with_the_reason(municipality, coordinator, coordinator_client):
    ended = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=TODAY - datetime.timedelta(days=60),
        ended_on=TODAY - datetime.timedelta(days=1),
        end_reason="moved_away",
        coordinator=coordinator,
    )
    response = coordinator_client.post(sent_url(ended), {"kind": "first_letter"}, follow=True)
    assert "Datumet kan inte vara efter avregistreringen" in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_someone_not_visible_is_404_and_other_roles_403(
    municipality,
    other_municipality,
    other_coordinator,
    coordinator_client,
    board_secretary_client,
    enrolment,
):
    foreign = EnrolmentFactory(youth=YouthFactory(municipality=other_municipality))
    hidden = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, protected_identity=True),
        coordinator=other_coordinator,
    )
    for target in (foreign, hidden):
        assert (
            coordinator_client.post(sent_url(target), {"kind": "first_letter"}).status_code == 404
        )
    assert (
        board_secretary_client.post(sent_url(enrolment), {"kind": "first_letter"}).status_code
        == 403
    )
    assert not ContactAttempt.objects.exists()


def test_an_outside_next_url_is_ignored(enrolment, coordinator_client):
    response = coordinator_client.post(
        sent_url(enrolment), {"kind": "second_letter", "next": "https://evil.example/"}
    )
    assert response["Location"] == contacts_url(enrolment)
