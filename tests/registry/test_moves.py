"""Moves between municipalities on one installation (issue 15, docs/domain.md "Regions and moves")."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from registry.models import (
    AccessLog,
    Enrolment,
    MoveNotification,
    MoveNotificationRead,
    Role,
    Source,
    Youth,
)
from tests.conftest import api_client_for, logged_in_client
from tests.factories import EnrolmentFactory, MunicipalityFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

END_DAY = "2026-11-20"


@pytest.fixture
def receiving(db):
    return MunicipalityFactory(code="1481", name="Mölndal")


@pytest.fixture
def receiving_manager(receiving):
    return UserFactory(username="molndal-chef", role=Role.MANAGER, municipality=receiving)


@pytest.fixture
def receiving_coordinator(receiving):
    return UserFactory(username="molndal-koord", role=Role.COORDINATOR, municipality=receiving)


@pytest.fixture
def enrolment(municipality, coordinator):
    youth = YouthFactory(
        municipality=municipality,
        first_name="Flytta",
        last_name="Flyttsson",
        street="Gamla vägen 3",
        postal_code="999 11",
        city="Förrestad",
    )
    return EnrolmentFactory(youth=youth, coordinator=coordinator)


def _end(client, enrolment, **body):
    return client.post(
        f"/api/v1/enrolments/{enrolment.pk}/end/",
        {"ended_on": END_DAY, "reason": "moved_away", **body},
    )


def test_a_move_end_to_end_in_the_api(enrolment, coordinator, receiving, receiving_coordinator):
    response = _end(api_client_for(coordinator), enrolment, moved_to="1481")
    assert response.status_code == 200, response.content
    assert response.json()["move_notification"] == {"to": "1481", "status": "sent"}

    receiver = api_client_for(receiving_coordinator)
    listed = receiver.get("/api/v1/moves/").json()
    assert listed["count"] == 1
    move = listed["results"][0]
    assert (move["first_name"], move["last_name"], move["status"]) == (
        "Flytta",
        "Flyttsson",
        "pending",
    )
    assert move["from_municipality"] == "0999"
    assert move["personnummer"] == enrolment.youth.personnummer
    assert MoveNotificationRead.objects.filter(user=receiving_coordinator).count() == 1

    registered = receiver.post(
        f"/api/v1/moves/{move['id']}/register/", {"registered_on": "2026-11-25"}
    )
    assert registered.status_code == 201, registered.content
    body = registered.json()
    assert body["enrolment"]["source"] == "moved_in"
    assert body["enrolment"]["municipality"] == "1481"
    assert body["youth"]["street"] == "Gamla vägen 3"
    assert body["youth_created"] is True
    new_youth = Youth.objects.get(pk=body["youth"]["id"])
    assert new_youth.municipality == receiving
    # Only what the brief allows crossed: nothing of the casework, no phone.
    assert new_youth.phone == "" and new_youth.email == ""
    assert Enrolment.objects.filter(youth=new_youth).count() == 1

    again = receiver.post(f"/api/v1/moves/{move['id']}/register/", {"registered_on": "2026-11-25"})
    assert again.status_code == 409
    assert "redan hanterad" in str(again.json()["errors"])

    # Both sides' history records who.
    sender_history = Enrolment.history.filter(id=enrolment.pk).latest("history_date")
    assert sender_history.history_user == coordinator
    move_history = MoveNotification.history.filter(id=move["id"]).order_by("history_date")
    assert [row.history_user for row in move_history] == [coordinator, receiving_coordinator]
    assert AccessLog.objects.filter(user=receiving_coordinator, youth=new_youth).exists()


def test_a_move_end_to_end_on_the_pages(enrolment, coordinator, receiving, receiving_coordinator):
    sender = logged_in_client(coordinator)
    form = sender.get(f"/ungdomar/inskrivning/{enrolment.pk}/avregistrera/")
    assert '<option value="1480 Göteborg">' in form.content.decode()
    response = sender.post(
        f"/ungdomar/inskrivning/{enrolment.pk}/avregistrera/",
        {"ended_on": END_DAY, "reason": "moved_away", "moved_to": "1481 Mölndal"},
        follow=True,
    )
    text = response.content.decode()
    assert "En flyttanmälan har skickats till 1481 Mölndal." in text
    assert "Flyttanmälan skickad" in text

    receiver = logged_in_client(receiving_coordinator)
    worklist = receiver.get("/arende/arbetslista/").content.decode()
    assert "Inflyttade att registrera" in worklist
    assert "Flytta Flyttsson" in worklist
    move = MoveNotification.objects.get()
    page = receiver.post(
        f"/ungdomar/flytt/{move.pk}/registrera/", {"registered_on": "2026-11-25"}, follow=True
    )
    assert "Flytta Flyttsson är inskriven som inflyttad." in page.content.decode()
    enrolment_here = Enrolment.objects.get(municipality=receiving)
    assert enrolment_here.source == Source.MOVED_IN
    assert enrolment_here.coordinator == receiving_coordinator

    again = receiver.post(
        f"/ungdomar/flytt/{move.pk}/registrera/", {"registered_on": "2026-11-25"}, follow=True
    )
    assert "Flyttanmälan är redan hanterad (Registrerad)." in again.content.decode()
    assert "Inflyttade att registrera" not in receiver.get("/arende/arbetslista/").content.decode()


def test_a_move_is_sent_once_per_ended_enrolment(enrolment, coordinator, receiving):
    from registry import services

    _end(api_client_for(coordinator), enrolment, moved_to="1481")
    enrolment.refresh_from_db()
    # Reopened and ended again: still the one notification.
    Enrolment.objects.filter(pk=enrolment.pk).update(ended_on=None, end_reason="")
    enrolment.refresh_from_db()
    services.enrolment_end(
        user=coordinator,
        enrolment=enrolment,
        ended_on=datetime.date(2026, 11, 21),
        reason="moved_away",
        moved_to="1481",
    )
    assert MoveNotification.objects.count() == 1
    second = _end(api_client_for(coordinator), enrolment, moved_to="1481")
    assert second.status_code == 400
    assert MoveNotification.objects.count() == 1


def test_a_move_off_the_installation_gives_a_letter(enrolment, coordinator):
    client = api_client_for(coordinator)
    response = _end(client, enrolment, moved_to="0180")
    assert response.json()["move_notification"] == {"to": "0180", "status": "not_on_installation"}
    assert MoveNotification.objects.count() == 0
    page = logged_in_client(coordinator).get(f"/ungdomar/{enrolment.youth_id}/")
    assert "Skriv ut flyttbrev (PDF)" in page.content.decode()
    letter = logged_in_client(coordinator).get(
        f"/ungdomar/inskrivning/{enrolment.pk}/flyttbrev.pdf"
    )
    assert letter["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages)
    assert "Till Stockholm kommun (0180)" in text
    assert "Flytta Flyttsson" in text
    assert "Gamla vägen 3" in text
    assert AccessLog.objects.filter(
        user=coordinator, youth=enrolment.youth, action=AccessLog.Action.PRINT
    ).exists()


def test_no_letter_for_another_end(enrolment, coordinator):
    _end(api_client_for(coordinator), enrolment)
    response = logged_in_client(coordinator).get(
        f"/ungdomar/inskrivning/{enrolment.pk}/flyttbrev.pdf"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"moved_to": "9999"}, "moved_to", "Okänd kommunkod 9999"),
        ({"moved_to": "0999"}, "moved_to", "den egna kommunen"),
        ({"reason": "turned_20", "moved_to": "1481"}, "moved_to", "Flyttat från kommunen"),
    ],
)
def test_moved_to_is_checked(enrolment, coordinator, body, field, message):
    response = _end(api_client_for(coordinator), enrolment, **body)
    assert response.status_code == 400
    assert message in response.json()["errors"][field][0]
    enrolment.refresh_from_db()
    assert enrolment.ended_on is None


def test_an_unknown_municipality_on_the_page(enrolment, coordinator):
    response = logged_in_client(coordinator).post(
        f"/ungdomar/inskrivning/{enrolment.pk}/avregistrera/",
        {"ended_on": END_DAY, "reason": "moved_away", "moved_to": "Atlantis"},
    )
    assert "Okänd kommun ”Atlantis”. Välj kommunen i listan." in response.content.decode()


def test_a_protected_identitys_move(
    municipality, coordinator, receiving, receiving_manager, receiving_coordinator
):
    youth = YouthFactory(
        municipality=municipality,
        last_name="Skyddsdottir",
        protected_identity=True,
        street="Hemliga gatan 9",
    )
    enrolment = EnrolmentFactory(youth=youth, coordinator=coordinator)
    assert _end(api_client_for(coordinator), enrolment, moved_to="1481").status_code == 200
    move = MoveNotification.objects.get()
    assert move.protected_identity and move.street == "" and move.city == ""

    assert api_client_for(receiving_coordinator).get("/api/v1/moves/").json()["count"] == 0
    coordinator_page = (
        logged_in_client(receiving_coordinator).get("/arende/arbetslista/").content.decode()
    )
    assert "Skyddsdottir" not in coordinator_page
    assert (
        logged_in_client(receiving_coordinator)
        .get(f"/ungdomar/flytt/{move.pk}/registrera/")
        .status_code
        == 404
    )
    manager_page = logged_in_client(receiving_manager).get("/arende/arbetslista/").content.decode()
    assert "Skyddsdottir" in manager_page
    assert "Hemliga gatan" not in manager_page
    registered = api_client_for(receiving_manager).post(
        f"/api/v1/moves/{move.pk}/register/", {"registered_on": "2026-11-25"}
    )
    assert registered.status_code == 201
    assert registered.json()["youth"]["protected_identity"] is True
    assert registered.json()["youth"]["street"] is None


def test_dismissal_needs_a_reason(enrolment, coordinator, receiving, receiving_manager):
    _end(api_client_for(coordinator), enrolment, moved_to="1481")
    move = MoveNotification.objects.get()
    client = api_client_for(receiving_manager)
    empty = client.post(f"/api/v1/moves/{move.pk}/dismiss/", {"reason": "  "})
    assert empty.status_code == 400
    assert empty.json()["errors"]["reason"] == ["Ange ett skäl till att flyttanmälan avfärdas."]
    page = logged_in_client(receiving_manager).post(f"/ungdomar/flytt/{move.pk}/avfarda/", {})
    assert "Ange ett skäl till att flyttanmälan avfärdas." in page.content.decode()

    done = client.post(f"/api/v1/moves/{move.pk}/dismiss/", {"reason": "Flyttade vidare."})
    assert done.status_code == 200
    assert done.json()["status"] == "dismissed"
    move.refresh_from_db()
    assert (move.dismiss_reason, move.handled_by) == ("Flyttade vidare.", receiving_manager)
    assert client.post(f"/api/v1/moves/{move.pk}/dismiss/", {"reason": "x"}).status_code == 409
    assert (
        client.post(
            f"/api/v1/moves/{move.pk}/register/", {"registered_on": "2026-11-25"}
        ).status_code
        == 409
    )
    assert not Youth.objects.filter(municipality=receiving).exists()


def test_registering_checks_eligibility(enrolment, coordinator, receiving, receiving_manager):
    _end(api_client_for(coordinator), enrolment, moved_to="1481")
    move = MoveNotification.objects.get()
    response = api_client_for(receiving_manager).post(
        f"/api/v1/moves/{move.pk}/register/", {"registered_on": "2030-01-01"}
    )
    assert response.status_code == 400
    assert "registered_on" in response.json()["errors"]
    move.refresh_from_db()
    assert move.status == "pending"
    # Nothing written on a refusal, not even the young person.
    assert not Youth.objects.filter(municipality=receiving).exists()


def test_registering_finds_the_young_person(enrolment, coordinator, receiving, receiving_manager):
    known = YouthFactory(
        municipality=receiving, personnummer=enrolment.youth.personnummer, last_name="Känd"
    )
    _end(api_client_for(coordinator), enrolment, moved_to="1481")
    move = MoveNotification.objects.get()
    response = api_client_for(receiving_manager).post(
        f"/api/v1/moves/{move.pk}/register/", {"registered_on": "2026-11-25"}
    )
    assert response.status_code == 201
    assert response.json()["youth"]["id"] == known.pk
    assert response.json()["youth_created"] is False


def test_another_municipality_never_sees_the_move(enrolment, coordinator, receiving, manager):
    _end(api_client_for(coordinator), enrolment, moved_to="1481")
    move = MoveNotification.objects.get()
    # The sender's own manager: the notification is the receiver's.
    assert api_client_for(manager).get("/api/v1/moves/").json()["count"] == 0
    response = api_client_for(manager).post(f"/api/v1/moves/{move.pk}/dismiss/", {"reason": "x"})
    assert response.status_code == 404
