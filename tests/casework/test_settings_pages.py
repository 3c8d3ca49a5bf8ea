"""Opening a settings page writes nothing; the first save creates the row in the saver's name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Letterhead, LetterTemplate, RoutineSettings

pytestmark = pytest.mark.django_db

ROWS = (RoutineSettings, RoutineSettings.history.model, LetterTemplate, Letterhead)


def counts():
    return [model.objects.count() for model in ROWS]


def test_opening_the_routine_settings_page_writes_nothing(manager_client):
    response = manager_client.get(reverse("casework:settings"))
    assert response.status_code == 200
    assert counts() == [0, 0, 0, 0]
    page = manager_client.get(reverse("casework:settings")).content.decode()
    assert "Kontaktrutinen lades upp" not in page
    assert 'value="7"' in page  # the default first-contact days are shown


def test_the_first_save_sets_the_routine_up_in_the_managers_name(manager_client, manager):
    form = manager_client.get(reverse("casework:settings")).context["form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data["first_contact_days"] = 5
    response = manager_client.post(reverse("casework:settings"), data)
    assert response.status_code == 302
    saved = RoutineSettings.objects.get(municipality=manager.municipality)
    assert saved.first_contact_days == 5
    # Set up with the defaults, then changed: both in the manager's name.
    assert [
        (h.history_type, h.first_contact_days) for h in saved.history.order_by("history_id")
    ] == [
        ("+", 7),
        ("~", 5),
    ]
    assert {h.history_user for h in saved.history.all()} == {manager}
