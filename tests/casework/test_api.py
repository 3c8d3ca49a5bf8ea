"""docs/api.md: contacts, routine and worklist endpoints."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from casework.models import ContactAttempt
from registry.models import AccessLog
from tests.casework.factories import youth_enrolment
from tests.casework.test_worklist import make_enrolments
from tests.conftest import api_client_for
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def enrolment(municipality, coordinator):
    return youth_enrolment(municipality, coordinator, registered_on=datetime.date(2026, 2, 1))


def contacts_url(enrolment):
    return f"/api/v1/enrolments/{enrolment.pk}/contacts/"


def routine_url(enrolment):
    return f"/api/v1/enrolments/{enrolment.pk}/routine/"


ATTEMPT = {
    "date": "2026-02-05",
    "channel": "letter",
    "party": "youth",
    "outcome": "not_reached",
    "note": "Första brevet",
}


def test_post_and_list_contacts(enrolment, coordinator_api, coordinator):
    response = coordinator_api.post(contacts_url(enrolment), ATTEMPT)
    assert response.status_code == 201
    body = response.json()
    assert body["enrolment"] == enrolment.pk and body["date"] == "2026-02-05"
    assert body["channel"] == "letter" and body["note"] == "Första brevet"
    assert ContactAttempt.objects.get().recorded_by == coordinator

    response = coordinator_api.get(contacts_url(enrolment))
    assert response.status_code == 200
    listing = response.json()
    assert listing["count"] == 1 and listing["next"] is None
    assert listing["results"][0]["id"] == body["id"]
    assert AccessLog.objects.filter(youth=enrolment.youth, action="api_read").exists()


@override_settings(API_PAGE_SIZE=2)
def test_contacts_are_paginated(enrolment, coordinator_api):
    for day in ("2026-02-05", "2026-03-05", "2026-04-05"):
        assert (
            coordinator_api.post(contacts_url(enrolment), ATTEMPT | {"date": day}).status_code
            == 201
        )
    first = coordinator_api.get(contacts_url(enrolment)).json()
    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["next"].endswith("?page=2")
    second = coordinator_api.get(first["next"]).json()
    assert [r["date"] for r in second["results"]] == ["2026-04-05"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2026-01-31"}, "date", "Datumet kan inte vara före inskrivningen (2026-02-01)."),
        ({"date": "2026-11-25"}, "date", "Datumet kan inte vara i framtiden."),
        ({"date": "31/1"}, "date", "Ange ett datum som ÅÅÅÅ-MM-DD."),
        (
            {"channel": "pigeon"},
            "channel",
            "Ogiltigt val. Använd en av: 'letter', 'phone', 'sms', 'email', "
            "'home_visit', 'meeting' eller 'digital_meeting'.",
        ),
        (
            {"outcome": "maybe"},
            "outcome",
            "Ogiltigt val. Använd en av: 'reached', 'not_reached', 'info_sheet_left' "
            "eller 'declined'.",
        ),
        ({"note": None}, "note", "Ange en text."),
        ({"channel": None}, "channel", None),
    ],
)
def test_post_refused(enrolment, coordinator_api, data, field, message):
    response = coordinator_api.post(contacts_url(enrolment), ATTEMPT | data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert all("Input should" not in text for text in errors[field])
    assert not ContactAttempt.objects.exists()


def test_post_refused_after_the_end(enrolment, coordinator_api):
    enrolment.ended_on = datetime.date(2026, 5, 1)
    enrolment.end_reason = "moved_away"
    enrolment.save()
    response = coordinator_api.post(contacts_url(enrolment), ATTEMPT | {"date": "2026-05-02"})
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"date": ["Datumet kan inte vara efter avregistreringen (2026-05-01)."]}
    }


def test_other_municipality_is_404_and_other_roles_403(
    other_municipality, coordinator_api, board_secretary, enrolment
):
    foreign = EnrolmentFactory(youth=YouthFactory(municipality=other_municipality))
    for url in (contacts_url(foreign), routine_url(foreign), "/api/v1/enrolments/999999/contacts/"):
        assert coordinator_api.get(url).status_code == 404
    assert coordinator_api.post(contacts_url(foreign), ATTEMPT).status_code == 404
    secretary = api_client_for(board_secretary)
    assert secretary.get(contacts_url(enrolment)).status_code == 403
    assert secretary.get("/api/v1/worklist/").status_code == 403


def test_routine_as_of(enrolment, coordinator_api):
    for data in (
        ATTEMPT,
        ATTEMPT | {"date": "2026-03-07", "channel": "phone"},
        ATTEMPT | {"date": "2026-05-10", "channel": "home_visit", "outcome": "info_sheet_left"},
    ):
        assert coordinator_api.post(contacts_url(enrolment), data).status_code == 201

    body = coordinator_api.get(routine_url(enrolment), {"as_of": "2026-03-01"}).json()
    assert body == {
        "enrolment": enrolment.pk,
        "as_of": "2026-03-01",
        "contact_established_on": None,
        "next_step": {"code": "second_attempt", "due": "2026-03-07", "overdue": False},
        "deviations": [],
    }
    body = coordinator_api.get(routine_url(enrolment), {"as_of": "2026-04-20"}).json()
    assert body["next_step"] == {"code": "home_visit", "due": "2026-04-06", "overdue": True}
    body = coordinator_api.get(routine_url(enrolment)).json()
    assert body["as_of"] == "2026-11-24"
    assert body["next_step"] == {
        "code": "post_visit_followup",
        "due": "2026-06-09",
        "overdue": True,
    }
    assert body["deviations"] == ["home_visit_late"]


def test_routine_bad_as_of(enrolment, coordinator_api):
    response = coordinator_api.get(routine_url(enrolment), {"as_of": "igår"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"as_of": ["Ange ett datum som ÅÅÅÅ-MM-DD."]}}


def test_worklist(municipality, coordinator, other_coordinator, coordinator_api, manager_api):
    mine = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=TODAY - datetime.timedelta(days=30),
        coordinator=coordinator,
    )
    unassigned = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=TODAY - datetime.timedelta(days=8),
    )
    theirs = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=TODAY - datetime.timedelta(days=20),
        coordinator=other_coordinator,
    )
    body = coordinator_api.get("/api/v1/worklist/").json()
    assert body["count"] == 2 and body["next"] is None
    assert body["results"] == [
        {
            "enrolment": mine.pk,
            "youth": mine.youth_id,
            "step": "first_contact",
            "due": "2026-11-01",
            "overdue": True,
        },
        {
            "enrolment": unassigned.pk,
            "youth": unassigned.youth_id,
            "step": "first_contact",
            "due": "2026-11-23",
            "overdue": False,
        },
    ]
    body = coordinator_api.get("/api/v1/worklist/", {"overdue": "true"}).json()
    assert [r["enrolment"] for r in body["results"]] == [mine.pk]
    body = manager_api.get("/api/v1/worklist/").json()
    assert [r["enrolment"] for r in body["results"]] == [mine.pk, theirs.pk, unassigned.pk]
    # Looking ahead: a week from now the unassigned one is overdue too.
    body = coordinator_api.get(
        "/api/v1/worklist/", {"as_of": "2026-12-01", "overdue": "true"}
    ).json()
    assert [r["enrolment"] for r in body["results"]] == [mine.pk, unassigned.pk]
    body = coordinator_api.get("/api/v1/worklist/", {"as_of": "2026-11-01"}).json()
    assert [r["enrolment"] for r in body["results"]] == [mine.pk]


def test_worklist_on_a_past_day_counts_only_what_was_known(
    municipality, coordinator, coordinator_api
):
    letter_later = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=datetime.date(2026, 10, 1),
        coordinator=coordinator,
    )
    assert (
        coordinator_api.post(
            contacts_url(letter_later), ATTEMPT | {"date": "2026-10-12"}
        ).status_code
        == 201
    )
    ended_since = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=datetime.date(2026, 10, 1),
        coordinator=coordinator,
    )
    ended_since.ended_on = datetime.date(2026, 11, 1)
    ended_since.end_reason = "diploma"
    ended_since.save()
    EnrolmentFactory(  # registered after the day asked about
        youth=YouthFactory(municipality=municipality),
        registered_on=datetime.date(2026, 10, 20),
        coordinator=coordinator,
    )

    body = coordinator_api.get("/api/v1/worklist/", {"as_of": "2026-10-10"}).json()
    assert body["results"] == [
        {
            "enrolment": e.pk,
            "youth": e.youth_id,
            "step": "first_contact",
            "due": "2026-10-08",
            "overdue": False,
        }
        for e in (letter_later, ended_since)
    ]
    body = coordinator_api.get(
        "/api/v1/worklist/", {"as_of": "2026-10-10", "overdue": "true"}
    ).json()
    assert body == {"count": 0, "next": None, "results": []}
    # Today the letter counts and the ended enrolment has no step.
    body = coordinator_api.get("/api/v1/worklist/").json()
    steps = {r["enrolment"]: r["step"] for r in body["results"]}
    assert steps[letter_later.pk] == "second_attempt"
    assert ended_since.pk not in steps


def test_worklist_query_count_does_not_grow(municipality, coordinator, manager_api):
    make_enrolments(municipality, coordinator, 10, 0)
    with CaptureQueriesContext(connection) as few:
        body = manager_api.get("/api/v1/worklist/").json()
    assert body["count"] >= 5
    make_enrolments(municipality, coordinator, 490, 10)
    with CaptureQueriesContext(connection) as many:
        body = manager_api.get("/api/v1/worklist/").json()
    assert body["count"] >= 250 and body["next"] is not None
    assert len(many) == len(few)
