"""Single sign-on over OpenID Connect against a REAL provider started here (issue 12).

The provider is the npm package ``oidc-provider`` run by node from
tests/oidc/provider.mjs (``make test`` installs it with ``npm ci``). The browser
side of the flow is an HTTP client with a cookie jar: it follows the provider's
redirects and fills in the provider's own sign-in and consent forms, as a person
would; the KAA side is the Django test client.
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OIDC_DIR = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID = "kaa-test"
CLIENT_SECRET = "a-long-test-client-secret-for-the-local-provider-only"
CALLBACK = "http://testserver/oidc/callback/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider():
    node = shutil.which("node")
    assert node, "node is needed for the OIDC tests (apt-get install nodejs)"
    assert (OIDC_DIR / "node_modules" / "oidc-provider").is_dir(), (
        "run `npm ci --prefix tests/oidc` first (make test does)"
    )
    port = _free_port()
    process = subprocess.Popen(
        [node, str(OIDC_DIR / "provider.mjs")],
        env={
            **os.environ,
            "PORT": str(port),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URI": CALLBACK,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2)  # noqa: S310 (our own http URL)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(
                    "the OIDC provider did not start: " + process.stderr.read()
                ) from None
            time.sleep(0.2)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(provider, settings):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    return settings


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _provider_browser():
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        _Stay(),
    )

    def open_(url: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = opener.open(url, body, timeout=10)
            return response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    return open_


def sign_in_with_sso(client: Client, login_name: str) -> object:
    """Click the SSO button, sign in at the provider, give consent, come back."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    url = start["Location"]
    browser = _provider_browser()
    for _step in range(12):
        status, location, page = browser(url)
        while status in (302, 303) and not location.startswith("http://testserver"):
            url = urllib.parse.urljoin(url, location)
            status, location, page = browser(url)
        if location.startswith("http://testserver"):
            parts = urllib.parse.urlsplit(location)
            return client.get(f"{parts.path}?{parts.query}")
        assert status == 200, (status, page[:500])
        action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page).group(1))
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
        if 'name="login"' in page:
            fields.update({"login": login_name, "password": "whatever-the-provider-wants"})
        status, location, page = browser(urllib.parse.urljoin(url, action), fields)
        assert status in (302, 303), (status, page[:500])
        url = urllib.parse.urljoin(url, location)
    raise AssertionError("the provider never sent the browser back")


def signed_in_as(client: Client) -> str | None:
    response = client.get(reverse("account"))
    if response.status_code != 200:
        return None
    return response.context["user"].username


def test_the_login_page_offers_sso_when_configured(sso):
    html_text = Client().get(reverse("login")).content.decode()
    assert "Logga in med kommunens inloggning" in html_text


def test_an_existing_user_signs_in_through_the_provider(sso, coordinator):
    client = Client()
    response = sign_in_with_sso(client, coordinator.username)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == coordinator.username


def test_an_unknown_user_is_never_created(sso, coordinator):
    users = User.objects.count()
    client = Client()
    response = sign_in_with_sso(client, "ingen-sadan-anvandare")
    assert response.status_code == 302
    assert "sso=misslyckades" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "gav ingen användare i KAA" in page
    assert signed_in_as(client) is None
    assert User.objects.count() == users


def test_an_inactive_user_is_refused(sso, municipality):
    UserFactory(username="slutat", municipality=municipality, is_active=False)
    client = Client()
    sign_in_with_sso(client, "slutat")
    assert signed_in_as(client) is None


def test_mapping_by_a_verified_email(sso, municipality):
    sso.OIDC_USERNAME_CLAIM = "email"
    UserFactory(username="annat-namn", email="anna@kommun.example", municipality=municipality)
    client = Client()
    sign_in_with_sso(client, "anna")
    assert signed_in_as(client) == "annat-namn"


def test_an_unverified_email_is_refused(sso, municipality):
    sso.OIDC_USERNAME_CLAIM = "email"
    UserFactory(username="bert", email="bert-unverified@kommun.example", municipality=municipality)
    client = Client()
    sign_in_with_sso(client, "bert-unverified")
    assert signed_in_as(client) is None


def test_sso_is_off_without_configuration(settings):
    settings.OIDC_RP_CLIENT_ID = ""
    client = Client()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "kommunens inloggning" not in client.get(reverse("login")).content.decode()
