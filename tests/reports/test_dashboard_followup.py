"""The manager's dashboard shows the open overdue flags and reminders (issue 6)."""

import datetime

import pytest
from django.urls import reverse

from casework.models import RoutineState
from followup.services.flags import overdue_flags_sync
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_open_overdue_flags(manager_client, municipality):
    enrolment = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality), registered_on=datetime.date(2026, 9, 1)
    )
    RoutineState.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "next_step": "first_contact",
            "next_due": datetime.date(2026, 9, 8),
            "overdue_after": datetime.date(2026, 9, 15),
        },
    )
    overdue_flags_sync(today=datetime.date(2026, 11, 24))
    html = manager_client.get(reverse("reports:dashboard")).content.decode()
    assert "1 försenat steg" in html
    assert enrolment.youth.full_name in html
    assert "2026-09-08" in html


def test_dashboard_says_when_nothing_is_overdue(manager_client):
    html = manager_client.get(reverse("reports:dashboard")).content.decode()
    assert "Inga försenade steg" in html
