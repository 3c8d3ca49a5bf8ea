"""Sign-in throttle, idle sessions and the production checks (issue 12)."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.conftest import logged_in_client
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PASSWORD = "test-password-123"
OFFICE = "10.20.30.40"
START = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC)


def sign_in(username: str, password: str, address: str = OFFICE) -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return client.get(reverse("account")).status_code == 200


def fail(username: str, times: int, address: str = OFFICE) -> None:
    for _ in range(times):
        _client, response = sign_in(username, "wrong-password", address)
        assert response.status_code in {200, 429}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_ten_failures_lock_the_user_name_with_a_swedish_message(manager, clock):
    fail(manager.username, 9)
    client, response = sign_in(manager.username, PASSWORD)
    assert response.status_code == 302  # nine failures: still allowed
    fail(manager.username, 10)
    client, response = sign_in(manager.username, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "För många misslyckade inloggningar" in text
    assert "spärrad i 15 minuter" in text
    assert not signed_in(client)


def test_the_lock_holds_from_another_address(manager, clock):
    fail(manager.username, 10, address="10.0.0.1")
    client, response = sign_in(manager.username, PASSWORD, address="192.0.2.9")
    assert response.status_code == 429
    assert not signed_in(client)


def test_one_office_behind_one_address_is_not_locked_out(manager, coordinator, clock):
    fail(manager.username, 12)
    client, response = sign_in(coordinator.username, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_lock_ends_after_the_configured_time(manager, clock, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=60)
    fail(manager.username, 10)
    clock.shift(datetime.timedelta(minutes=30))
    assert sign_in(manager.username, PASSWORD)[1].status_code == 429
    clock.shift(datetime.timedelta(minutes=31))
    client, response = sign_in(manager.username, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_failures_spread_over_more_than_the_window_do_not_lock(manager, clock):
    for _ in range(4):
        fail(manager.username, 3)
        clock.shift(datetime.timedelta(minutes=16))
    assert sign_in(manager.username, PASSWORD)[1].status_code == 302


def test_a_manager_sees_the_lockout_of_their_own_users_only(manager, coordinator, clock):
    elsewhere = UserFactory(
        username="annan-koordinator", municipality=MunicipalityFactory(code="0997")
    )
    fail(coordinator.username, 10)
    fail(elsewhere.username, 3)
    page = logged_in_client(manager).get(reverse("registry:sign_in_failures"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-username="{coordinator.username}"' in text
    assert "data-locked" in text
    assert OFFICE in text
    assert elsewhere.username not in text


def test_a_coordinator_cannot_open_the_sign_in_page(coordinator_client):
    assert coordinator_client.get(reverse("registry:sign_in_failures")).status_code == 403


# --- Sessions ---


def test_an_idle_session_ends_after_30_minutes(coordinator, clock):
    client = logged_in_client(coordinator)
    assert signed_in(client)
    clock.shift(datetime.timedelta(minutes=29))
    assert signed_in(client)  # activity keeps it alive
    clock.shift(datetime.timedelta(minutes=31))
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    login_page = client.get(response["Location"]).content.decode()
    assert "utan aktivitet" in login_page
    assert not signed_in(client)


def test_the_idle_limit_is_a_setting(coordinator, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client = logged_in_client(coordinator)
    assert signed_in(client)
    clock.shift(datetime.timedelta(minutes=6))
    assert not signed_in(client)


def test_the_absolute_limit_stays_however_active(coordinator, clock):
    client = logged_in_client(coordinator)
    assert signed_in(client)
    for _ in range(django_settings.SESSION_COOKIE_AGE // (20 * 60)):
        clock.shift(datetime.timedelta(minutes=20))
        assert signed_in(client)
    clock.shift(datetime.timedelta(minutes=20))
    assert not signed_in(client)


# --- Production settings ---


def test_check_deploy_is_clean_under_production_settings():
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kaa.settings.production",
        "SECRET_KEY": "x7#Kq2!vL9$mP4@nR8^tW1&zY6*bD3(fH5)jN0-sU2+eG7=cA9",
        "DATABASE_URL": "postgres://kaa@127.0.0.1:5432/kaa",
        "ALLOWED_HOSTS": "kaa.example.se",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_nul_in_the_user_name_is_a_form_error_not_a_500():
    client = Client()
    response = client.post(LOGIN, {"username": "chef\x00", "password": PASSWORD})
    assert response.status_code == 200
    assert "Null-tecken är inte tillåtna." in response.content.decode()


def test_an_idle_htmx_request_is_sent_to_the_login_page(coordinator, clock):
    client = logged_in_client(coordinator)
    assert signed_in(client)
    clock.shift(datetime.timedelta(minutes=31))
    response = client.get(reverse("account"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(LOGIN)
