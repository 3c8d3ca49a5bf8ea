"""The worklist does not grow with the caseload: query counts, the menu's count, all reminders."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.selectors.worklist import worklist_count
from followup.models import Reminder
from registry.models import Enrolment
from tests.casework.test_worklist import make_enrolments
from tests.conftest import api_client_for
from tests.factories import EnrolmentFactory, YouthFactory
from tests.followup.factories import MeasureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.date(2026, 11, 24)
URL = reverse("casework:worklist")


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, len(captured)


@pytest.mark.parametrize(
    ("client_fixture", "params"),
    [
        ("coordinator_client", {}),
        ("coordinator_client", {"visa": "all", "q": "a"}),
        ("coordinator_client", {"visa": "unassigned", "overdue": "on"}),
        ("manager_client", {}),
    ],
)
def test_the_page_takes_as_many_queries_for_1_case_as_for_30(
    request, municipality, coordinator, client_fixture, params
):
    client = request.getfixturevalue(client_fixture)
    EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, first_name="Anna"),
        registered_on=TODAY - datetime.timedelta(days=20),
        coordinator=coordinator if params.get("visa") != "unassigned" else None,
    )
    one, few = queries(lambda: client.get(URL, params))
    assert one.status_code == 200 and one.context["total"] == 1
    make_enrolments(municipality, coordinator, 120, 0)
    many_response, many = queries(lambda: client.get(URL, params))
    assert many_response.context["total"] >= 30
    assert many == few


def test_the_menus_count_is_one_query_and_not_repeated_on_the_page(
    municipality, coordinator, coordinator_client, django_assert_num_queries
):
    make_enrolments(municipality, coordinator, 30, 0)
    with django_assert_num_queries(1):
        count = worklist_count(user=coordinator, as_of=TODAY)
    assert count > 0
    page = coordinator_client.get(URL).content.decode()
    assert f'<span class="badge" data-worklist-count>{count}</span>' in page


def test_the_log_form_takes_as_many_queries_for_any_caseload(
    municipality, coordinator, coordinator_client
):
    first = Enrolment.objects.create(
        municipality=municipality,
        youth=YouthFactory(municipality=municipality),
        registered_on=TODAY - datetime.timedelta(days=20),
        source="other",
        coordinator=coordinator,
    )
    url = reverse("casework:worklist_log_form", args=[first.pk])
    _response, few = queries(lambda: coordinator_client.get(url, headers={"HX-Request": "true"}))
    make_enrolments(municipality, coordinator, 30, 0)
    response, many = queries(lambda: coordinator_client.get(url, headers={"HX-Request": "true"}))
    assert response.status_code == 200 and many == few


def test_the_api_takes_as_many_queries_for_1_case_as_for_30(municipality, coordinator):
    api = api_client_for(coordinator)
    EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=TODAY - datetime.timedelta(days=20),
        coordinator=coordinator,
    )
    body, few = queries(lambda: api.get("/api/v1/worklist/"))
    assert body.json()["count"] == 1
    make_enrolments(municipality, coordinator, 60, 0)
    body, many = queries(lambda: api.get("/api/v1/worklist/"))
    assert body.json()["count"] >= 30 and many == few


def test_reminders_are_cut_at_ten_with_a_link_to_see_them_all(
    municipality, coordinator, coordinator_client
):
    for number in range(12):
        measure = MeasureFactory(
            plan__enrolment__youth__municipality=municipality,
            plan__enrolment__youth__first_name=f"Påmind{number:02d}",
            plan__enrolment__coordinator=coordinator,
        )
        Reminder.objects.create(
            measure=measure,
            kind="follow_up",
            due=TODAY - datetime.timedelta(days=30 - number),
            opened_on=TODAY,
        )
    page = coordinator_client.get(URL).content.decode()
    reminders = page.split('id="paminnelser"')[1]
    assert reminders.count("data-reminder=") == 10
    assert "Visa alla 12" in reminders and "?paminnelser=alla#paminnelser" in reminders
    assert "Påmind11" not in reminders
    page = coordinator_client.get(URL, {"paminnelser": "alla"}).content.decode()
    reminders = page.split('id="paminnelser"')[1]
    assert reminders.count("data-reminder=") == 12 and "Visa alla" not in reminders
    assert "Påmind11" in reminders


def test_the_counted_copy_follows_assignment_and_protected_identity(
    municipality, coordinator, other_coordinator, coordinator_client
):
    enrolment = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, first_name="Flytt"),
        registered_on=TODAY - datetime.timedelta(days=20),
    )
    assert worklist_count(user=coordinator, as_of=TODAY) == 1  # unassigned
    enrolment.coordinator = other_coordinator
    enrolment.save()
    assert worklist_count(user=coordinator, as_of=TODAY) == 0
    page = coordinator_client.get(URL, {"visa": "all"}).content.decode()
    assert "Flytt" in page and 'data-tab="mine">Mina ärenden <span class="count">(0)' in page

    youth = enrolment.youth
    youth.protected_identity = True
    youth.save()
    page = coordinator_client.get(URL, {"visa": "all"}).content.decode()
    assert "Flytt" not in page and 'Alla <span class="count">(0)' in page

    enrolment.coordinator = coordinator
    enrolment.save()
    assert worklist_count(user=coordinator, as_of=TODAY) == 1
    page = coordinator_client.get(URL).content.decode()
    assert "Flytt" in page
