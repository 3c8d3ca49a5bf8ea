"""Errors a browser user can meet are answered with Swedish pages, the API with JSON."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_get_on_a_post_only_page_shows_a_swedish_page(coordinator_client: Client) -> None:
    response = coordinator_client.get(reverse("registry:import_confirm", args=[1]))

    assert response.status_code == 405
    assert "Det gick inte att göra så här" in response.content.decode()
    assert "POST" in response["Allow"]


def test_a_bad_request_shows_a_swedish_page(coordinator_client: Client) -> None:
    # A Host header Django refuses answers 400 through handler400.
    response = coordinator_client.get("/", HTTP_HOST="bad host name")

    assert response.status_code == 400
    assert "Felaktig förfrågan" in response.content.decode()


def test_favicon_ico_leads_to_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
