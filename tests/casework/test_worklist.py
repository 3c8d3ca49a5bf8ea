"""The worklist page, its count in the navigation, and logging a contact from it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import ContactAttempt
from casework.selectors.worklist import worklist_items
from casework.services.routine_state import routine_state_refresh
from registry.models import Enrolment, Youth
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.date(2026, 11, 24)
URL = reverse("casework:worklist")


def enrol(municipality, *, days_ago, coordinator=None, protected=False, name=None):
    youth = YouthFactory(municipality=municipality, protected_identity=protected)
    if name:
        youth.first_name, youth.last_name = name.split()
        youth.save()
    return EnrolmentFactory(
        youth=youth,
        registered_on=TODAY - datetime.timedelta(days=days_ago),
        coordinator=coordinator,
    )


def test_coordinator_sees_own_cases_by_default_and_the_other_tabs(
    municipality, coordinator, other_coordinator, coordinator_client
):
    mine = enrol(municipality, days_ago=20, coordinator=coordinator, name="Alva Ek")
    unassigned = enrol(municipality, days_ago=7, name="Bo Lind")
    enrol(municipality, days_ago=20, coordinator=other_coordinator, name="Cia Berg")
    enrol(municipality, days_ago=3, coordinator=coordinator, name="Dan Ask")  # due in 4 days
    enrol(municipality, days_ago=-1, coordinator=coordinator, name="Eva Sen")  # due in 8 days

    page = coordinator_client.get(URL).content.decode()
    assert "Alva Ek" in page and "Dan Ask" in page
    assert "Bo Lind" not in page and "Cia Berg" not in page and "Eva Sen" not in page
    assert "Första kontakt" in page
    # Registered 20 days ago: due 13 days ago, past the 7 days' tolerance.
    assert "Försenat: 13 dagar efter förfallodagen" in page
    assert "Förfaller om 4 dagar" in page
    assert 'aria-current="page" data-tab="mine">Mina ärenden <span class="count">(2)</span>' in page
    assert 'Ej tilldelade <span class="count">(1)</span>' in page
    assert 'Alla <span class="count">(4)</span>' in page

    page = coordinator_client.get(URL, {"visa": "unassigned"}).content.decode()
    assert "Bo Lind" in page and "Förfaller i dag" in page
    assert "Alva Ek" not in page and "Cia Berg" not in page
    page = coordinator_client.get(URL, {"visa": "all"}).content.decode()
    assert all(name in page for name in ("Alva Ek", "Bo Lind", "Cia Berg", "Dan Ask"))
    # The API and the menu's count: own and unassigned, due today or overdue.
    assert {s.enrolment for s in worklist_items(user=coordinator, as_of=TODAY)} == {
        mine,
        unassigned,
    }


def test_search_by_name_and_same_names_told_apart(municipality, coordinator, coordinator_client):
    first = enrol(municipality, days_ago=20, coordinator=coordinator, name="Sam Lund")
    second = enrol(municipality, days_ago=20, coordinator=coordinator, name="Sam Lund")
    Youth.objects.filter(pk=second.youth_id).update(
        personnummer="200802039800", birth_date=datetime.date(2008, 2, 3)
    )
    second.youth.refresh_from_db()
    enrol(municipality, days_ago=20, coordinator=coordinator, name="Alva Ek")
    page = coordinator_client.get(URL, {"q": "lund"}).content.decode()
    assert page.count("Sam Lund</a>") == 2 and "Alva Ek" not in page
    assert first.youth.masked_personnummer in page and second.youth.masked_personnummer in page
    assert first.youth.masked_personnummer != second.youth.masked_personnummer
    page = coordinator_client.get(URL, {"q": "Nobody"}).content.decode()
    assert "Ingen i arbetslistan matchar sökningen." in page


def test_urgency_is_told_in_words_not_colour_alone(municipality, coordinator, coordinator_client):
    enrol(municipality, days_ago=20, coordinator=coordinator, name="Sen Försenad")
    enrol(municipality, days_ago=10, coordinator=coordinator, name="Inom Tolerans")
    enrol(municipality, days_ago=7, coordinator=coordinator, name="Idag Förfaller")
    enrol(municipality, days_ago=5, coordinator=coordinator, name="Snart Kommande")
    page = coordinator_client.get(URL).content.decode()
    rows = {
        urgency: page.split(f'data-urgency="{urgency}"')[1].split("</tr>")[0]
        for urgency in ("overdue", "tolerance", "today", "week")
    }
    assert "Sen Försenad" in rows["overdue"] and "Försenat: 13 dagar" in rows["overdue"]
    assert "Inom Tolerans" in rows["tolerance"] and "inom toleransen" in rows["tolerance"]
    assert "Idag Förfaller" in rows["today"] and "Förfaller i dag" in rows["today"]
    assert "Snart Kommande" in rows["week"] and "Förfaller om 2 dagar" in rows["week"]
    assert "1 steg i kontaktrutinen" not in page and "varav 1 försenat" in page


def test_the_log_form_opens_on_demand(municipality, coordinator, coordinator_client):
    enrolment = enrol(municipality, days_ago=20, coordinator=coordinator, name="Alva Ek")
    page = coordinator_client.get(URL).content.decode()
    form_url = reverse("casework:worklist_log_form", args=[enrolment.pk])
    contact_url = reverse("casework:enrolment_contacts", args=[enrolment.pk])
    assert f'href="{contact_url}" class="button secondary" hx-get="{form_url}"' in page
    assert 'name="outcome"' not in page
    response = coordinator_client.get(form_url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="outcome"' in body and "Spara kontaktförsöket" in body
    assert coordinator_client.get(form_url)["Location"] == contact_url


def test_the_log_form_of_someone_not_visible_is_404(
    municipality, other_coordinator, coordinator_client
):
    hidden = enrol(municipality, days_ago=20, coordinator=other_coordinator, protected=True)
    url = reverse("casework:worklist_log_form", args=[hidden.pk])
    assert coordinator_client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_protected_identity_is_hidden_unless_assigned(
    municipality, coordinator, other_coordinator, coordinator_client
):
    enrol(
        municipality,
        days_ago=20,
        coordinator=other_coordinator,
        protected=True,
        name="Hemlig Person",
    )
    enrol(municipality, days_ago=20, protected=True, name="Okänd Skyddad")
    enrol(municipality, days_ago=20, coordinator=coordinator, protected=True, name="Egen Skyddad")
    page = coordinator_client.get(URL).content.decode()
    assert "Egen Skyddad" in page
    assert "Hemlig Person" not in page and "Okänd Skyddad" not in page


def test_manager_sees_everyone_and_filters(
    municipality, coordinator, other_coordinator, manager_client
):
    enrol(municipality, days_ago=20, coordinator=coordinator, name="Alva Ek")
    enrol(municipality, days_ago=7, name="Bo Lind")
    enrol(municipality, days_ago=20, coordinator=other_coordinator, name="Cia Berg")
    page = manager_client.get(URL).content.decode()
    assert all(name in page for name in ("Alva Ek", "Bo Lind", "Cia Berg"))

    page = manager_client.get(URL, {"coordinator": other_coordinator.pk}).content.decode()
    assert "Cia Berg" in page and "Alva Ek" not in page and "Bo Lind" not in page
    page = manager_client.get(URL, {"coordinator": "none"}).content.decode()
    assert "Bo Lind" in page and "Alva Ek" not in page
    page = manager_client.get(URL, {"overdue": "on"}).content.decode()
    assert "Bo Lind" not in page and "Alva Ek" in page


def test_grouped_by_step_oldest_first(municipality, coordinator, coordinator_client):
    older = enrol(municipality, days_ago=40, coordinator=coordinator, name="Gammal Först")
    enrol(municipality, days_ago=20, coordinator=coordinator, name="Ny Sedan")
    letter_sent = enrol(municipality, days_ago=60, coordinator=coordinator, name="Brev Skickat")
    ContactAttempt.objects.create(
        enrolment=letter_sent,
        date=TODAY - datetime.timedelta(days=50),
        channel="letter",
        party="youth",
        outcome="not_reached",
    )
    routine_state_refresh(enrolment_ids=[letter_sent.pk])
    page = coordinator_client.get(URL).content.decode()
    first, second = page.index("<h2>Första kontakt"), page.index("<h2>Andra kontaktförsöket")
    assert first < page.index("Gammal Först") < page.index("Ny Sedan") < second
    assert second < page.index("Brev Skickat")
    page = coordinator_client.get(URL, {"step": "second_attempt"}).content.decode()
    assert "Brev Skickat" in page and older.youth.first_name not in page


def test_navigation_count(
    municipality,
    coordinator,
    other_coordinator,
    coordinator_client,
    manager_client,
    board_secretary_client,
):
    enrol(municipality, days_ago=20, coordinator=coordinator)
    enrol(municipality, days_ago=10, coordinator=coordinator)
    enrol(municipality, days_ago=9)
    enrol(municipality, days_ago=12, coordinator=other_coordinator)
    # Not due yet: registered today, first contact due in 7 days.
    enrol(municipality, days_ago=0, coordinator=coordinator)
    # The coordinator: own and unassigned; the manager: everyone's and the unassigned.
    page = coordinator_client.get(URL).content.decode()
    assert '<span class="badge" data-worklist-count>3</span>' in page
    page = manager_client.get(reverse("account")).content.decode()
    assert '<span class="badge" data-worklist-count>4</span>' in page
    page = board_secretary_client.get(reverse("account")).content.decode()
    assert "data-worklist-count" not in page


def test_other_roles_are_refused(board_secretary_client):
    assert board_secretary_client.get(URL).status_code == 403


def make_enrolments(municipality, coordinator, count, start):
    youths = Youth.objects.bulk_create(
        YouthFactory.build(municipality=municipality) for _ in range(count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            municipality=municipality,
            youth=youth,
            registered_on=TODAY - datetime.timedelta(days=10 + (start + i) % 300),
            source="other",
            coordinator=coordinator if i % 2 else None,
        )
        for i, youth in enumerate(youths)
    )
    ContactAttempt.objects.bulk_create(
        ContactAttempt(
            enrolment=e,
            date=e.registered_on + datetime.timedelta(days=2),
            channel="letter",
            party="youth",
            outcome="not_reached",
        )
        for e in enrolments[::3]
    )
    routine_state_refresh(municipality=municipality)


@pytest.mark.parametrize("client_fixture", ["coordinator_client", "manager_client"])
def test_query_count_does_not_grow(request, municipality, coordinator, client_fixture):
    client = request.getfixturevalue(client_fixture)
    make_enrolments(municipality, coordinator, 10, 0)
    with CaptureQueriesContext(connection) as few:
        response = client.get(URL, {"visa": "all"})
    assert response.context["total"] >= 5
    make_enrolments(municipality, coordinator, 490, 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"visa": "all"})
    assert response.context["total"] >= 250
    assert len(many) == len(few)


def post_inline(client, enrolment, *, htmx, **data):
    values = {
        "origin": "worklist",
        "next": URL,
        "date": TODAY.isoformat(),
        "channel": "letter",
        "party": "youth",
        "outcome": "not_reached",
        "note": "",
    } | data
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{URL}"} if htmx else {}
    return client.post(
        reverse("casework:contact_create", args=[enrolment.pk]), values, headers=headers
    )


def test_inline_log_without_javascript(municipality, coordinator, coordinator_client):
    enrolment = enrol(municipality, days_ago=20, coordinator=coordinator, name="Alva Ek")
    response = post_inline(coordinator_client, enrolment, htmx=False)
    assert response.status_code == 302 and response["Location"] == URL
    page = coordinator_client.get(URL).content.decode()
    assert "Kontaktförsöket för Alva Ek är registrerat." in page
    assert "data-worklist-item" not in page
    assert ContactAttempt.objects.get().recorded_by == coordinator


def test_inline_log_with_htmx_replaces_the_row(municipality, coordinator, coordinator_client):
    enrolment = enrol(municipality, days_ago=20, coordinator=coordinator, name="Alva Ek")
    enrol(municipality, days_ago=10, coordinator=coordinator)
    response = post_inline(coordinator_client, enrolment, htmx=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kontaktförsöket för Alva Ek är registrerat." in body
    assert "Nästa steg: Andra kontaktförsöket, senast 2026-12-24." in body
    assert "data-worklist-item" not in body
    assert 'hx-swap-oob="outerHTML:[data-worklist-count]">1<' in body


def test_inline_log_refused_date_shows_the_error(municipality, coordinator, coordinator_client):
    enrolment = enrol(municipality, days_ago=20, coordinator=coordinator)
    response = post_inline(coordinator_client, enrolment, htmx=True, date="2026-12-01")
    body = response.content.decode()
    assert "Datumet kan inte vara i framtiden." in body
    assert "data-worklist-item" in body
    assert not ContactAttempt.objects.exists()
    response = post_inline(coordinator_client, enrolment, htmx=False, date="2026-12-01")
    assert response.status_code == 400
    assert "Datumet kan inte vara i framtiden." in response.content.decode()


def test_inline_log_for_someone_not_visible_is_404(
    municipality, other_coordinator, coordinator_client
):
    hidden = enrol(municipality, days_ago=20, coordinator=other_coordinator, protected=True)
    assert post_inline(coordinator_client, hidden, htmx=False).status_code == 404
    assert not ContactAttempt.objects.exists()


def test_long_lists_are_paged_by_keyset_and_keep_the_filters(
    municipality, coordinator, manager_client
):
    make_enrolments(municipality, coordinator, 300, 0)
    first = manager_client.get(URL, {"overdue": "on"})
    total = first.context["total"]
    assert total > 100
    body = first.content.decode()
    assert body.count("data-worklist-item ") == 50
    cursor = first.context["next_cursor"]
    assert f"?overdue=on&amp;efter={cursor}" in body
    second = manager_client.get(URL, {"overdue": "on", "efter": cursor})
    shown_first = {row["item"].enrolment.pk for g in first.context["groups"] for row in g["rows"]}
    shown_second = {row["item"].enrolment.pk for g in second.context["groups"] for row in g["rows"]}
    assert len(shown_second) == 50 and not shown_first & shown_second
    assert "Till början" in second.content.decode()
    # Each section says how many the whole list holds of its step.
    assert "på den här sidan av" in body
