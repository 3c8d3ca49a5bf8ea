"""Two-factor sign-in with TOTP for managers and admins, where the municipality requires it."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"
START = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC)
MANAGER_PAGE = reverse("registry:access_log_users")


def code_for(secret: str, at: datetime.datetime) -> str:
    totp = TOTP(base64.b32decode(secret))
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


def sign_in(client: Client, username: str, follow: bool = False):
    return client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, follow=follow
    )


@pytest.fixture
def requiring(municipality):
    municipality.require_two_factor = True
    municipality.save()
    return municipality


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_manager_enrols_with_the_qr_code_and_signs_in_again_with_a_code(
    requiring, manager, clock
):
    client = Client()
    sign_in(client, manager.username)
    # The first page asks for enrolment: a QR code and the secret as text.
    response = client.get(MANAGER_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_enrol"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html and "data-qr" in html
    secret = re.search(r"<code data-secret>([A-Z2-7=]+)</code>", html).group(1)

    wrong = client.post(page.request["PATH_INFO"], {"code": "000000", "next": MANAGER_PAGE})
    assert "Koden stämmer inte" in wrong.content.decode()

    clock.shift(datetime.timedelta(seconds=30))  # past the throttle after a wrong code
    done = client.post(
        reverse("two_factor_enrol"),
        {"code": code_for(secret, START + datetime.timedelta(seconds=30)), "next": MANAGER_PAGE},
    )
    recovery = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(recovery) == 10
    assert client.get(MANAGER_PAGE).status_code == 200

    # Next day: password, then a code from the app.
    client.post(reverse("logout"))
    clock.shift(datetime.timedelta(days=1))
    sign_in(client, manager.username)
    response = client.get(MANAGER_PAGE)
    assert response["Location"].startswith(reverse("two_factor_verify"))
    refused = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert "Koden stämmer inte" in refused.content.decode()
    assert client.get(MANAGER_PAGE).status_code == 302
    clock.shift(datetime.timedelta(seconds=60))  # past the throttle after a wrong code
    later = START + datetime.timedelta(days=1, seconds=90)
    ok = client.post(
        reverse("two_factor_verify"), {"code": code_for(secret, later), "next": MANAGER_PAGE}
    )
    assert ok.status_code == 302
    assert ok["Location"] == MANAGER_PAGE
    assert client.get(MANAGER_PAGE).status_code == 200


def test_a_recovery_code_works_once(requiring, manager, clock):
    client = Client()
    sign_in(client, manager.username)
    html = client.get(reverse("two_factor_enrol")).content.decode()
    secret = re.search(r"<code data-secret>([A-Z2-7=]+)</code>", html).group(1)
    done = client.post(reverse("two_factor_enrol"), {"code": code_for(secret, START)})
    recovery = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())

    for attempt in range(2):
        client = Client()
        sign_in(client, manager.username)
        response = client.post(
            reverse("two_factor_verify"), {"code": recovery[0], "next": MANAGER_PAGE}
        )
        if attempt == 0:
            assert response.status_code == 302
            assert client.get(MANAGER_PAGE).status_code == 200
        else:
            assert response.status_code == 200
            assert client.get(MANAGER_PAGE).status_code == 302


def test_the_admin_site_also_needs_the_second_step(requiring, admin_user):
    client = Client()
    sign_in(client, admin_user.username)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_enrol"))


def test_no_second_step_where_the_municipality_does_not_require_it(municipality, manager):
    client = Client()
    sign_in(client, manager.username)
    assert client.get(MANAGER_PAGE).status_code == 200


def test_coordinators_have_no_second_step(requiring, coordinator):
    client = Client()
    sign_in(client, coordinator.username)
    assert client.get(reverse("registry:youth_list")).status_code == 200
    assert client.get(reverse("two_factor_enrol")).status_code == 403


def test_the_municipalitys_admin_turns_the_requirement_on(admin_user, municipality):
    from tests.conftest import logged_in_client

    client = logged_in_client(admin_user)
    url = reverse("admin:registry_municipality_change", args=[municipality.pk])
    response = client.post(url, {"require_two_factor": "on"})
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.require_two_factor
    assert municipality.history.latest().history_user == admin_user
