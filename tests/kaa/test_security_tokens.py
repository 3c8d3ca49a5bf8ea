"""API tokens expire, show their last use and are revoked by the municipality's admin."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from registry.models import ApiToken
from tests.conftest import ApiClient, logged_in_client
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC)


def issue(username: str, *args: str) -> ApiClient:
    out = io.StringIO()
    call_command("issue_api_token", username, *args, stdout=out)
    return ApiClient(out.getvalue().strip())


def test_a_token_lasts_365_days_by_default(coordinator):
    with time_machine.travel(START, tick=False) as clock:
        client = issue(coordinator.username)
        assert client.get("/api/v1/me").status_code == 200
        clock.shift(datetime.timedelta(days=364))
        assert client.get("/api/v1/me").status_code == 200
        clock.shift(datetime.timedelta(days=2))
        response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "gått ut" in response.json()["errors"]["detail"][0]


def test_days_sets_the_lifetime(coordinator):
    with time_machine.travel(START, tick=False) as clock:
        client = issue(coordinator.username, "--days", "7")
        assert ApiToken.objects.get().expires_at == START + datetime.timedelta(days=7)
        clock.shift(datetime.timedelta(days=8))
        assert client.get("/api/v1/me").status_code == 401


def test_days_must_be_positive(coordinator):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="minst 1"):
        issue(coordinator.username, "--days", "0")


def test_the_last_use_is_recorded_and_shown_to_the_admin(coordinator, admin_user):
    with time_machine.travel(START, tick=False):
        client = issue(coordinator.username)
        client.get("/api/v1/me")
    token = ApiToken.objects.get()
    assert token.last_used_at == START
    page = logged_in_client(admin_user).get(reverse("admin:registry_apitoken_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert token.prefix in text
    assert "Giltig" in text
    assert "24 november 2026" in text or "2026-11-24" in text


def test_the_municipalitys_admin_revokes_a_token_and_it_is_in_the_history(coordinator, admin_user):
    client = issue(coordinator.username)
    token = ApiToken.objects.get()
    response = logged_in_client(admin_user).post(
        reverse("admin:registry_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me").status_code == 401
    entry = LogEntry.objects.get(object_id=str(token.pk))
    assert entry.user_id == admin_user.pk


def test_an_admin_cannot_see_or_revoke_another_municipalitys_tokens(admin_user):
    elsewhere = UserFactory(username="annan", municipality=MunicipalityFactory(code="0997"))
    client = issue(elsewhere.username)
    token = ApiToken.objects.get()
    admin_client = logged_in_client(admin_user)
    listing = admin_client.get(reverse("admin:registry_apitoken_changelist")).content.decode()
    assert token.prefix not in listing
    admin_client.post(
        reverse("admin:registry_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get("/api/v1/me").status_code == 200
    change = admin_client.get(reverse("admin:registry_apitoken_change", args=[token.pk]))
    assert change.status_code in {302, 403, 404}
