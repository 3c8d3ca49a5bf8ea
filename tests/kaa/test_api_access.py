"""Bearer tokens, the error format and the OpenAPI document."""

import json

import pytest

from tests.conftest import ApiClient, api_client_for

pytestmark = pytest.mark.django_db


def test_valid_token_acts_as_its_user(coordinator):
    response = api_client_for(coordinator).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "koordinator",
        "role": "coordinator",
        "municipality": "0999",
    }


@pytest.mark.parametrize("key", [None, "wrong-token"])
def test_missing_or_wrong_token_is_401(coordinator, key):
    response = ApiClient(key).get("/api/v1/me")
    assert response.status_code == 401
    assert list(response.json()) == ["errors"]
    assert response.json()["errors"]["detail"]


def test_revoked_token_is_401(coordinator):
    client = api_client_for(coordinator)
    assert client.get("/api/v1/me").status_code == 200
    coordinator.api_tokens.get().revoke()
    assert client.get("/api/v1/me").status_code == 401


def test_token_of_deactivated_user_is_401(coordinator):
    client = api_client_for(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert client.get("/api/v1/me").status_code == 401


def test_openapi_document_is_served_as_valid_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "KAA API"
    assert "/api/v1/me" in document["paths"]


def test_unknown_api_path_is_404_json(coordinator_api):
    response = coordinator_api.get("/api/v1/nothing-here/")
    assert response.status_code == 404


def test_malformed_json_is_a_swedish_400(coordinator_api):
    response = coordinator_api.post("/api/v1/youths/", "{not json")
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "detail": [
                "Begäran kunde inte läsas. Skicka giltig JSON med Content-Type: application/json."
            ]
        }
    }


def test_wrong_types_get_swedish_field_messages(coordinator_api):
    response = coordinator_api.post(
        "/api/v1/enrolments/", {"youth": "abc", "registered_on": "1 maj", "source": "x"}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["youth"] == ["Ange ett tal."]
    assert errors["registered_on"] == ["Ange ett datum som ÅÅÅÅ-MM-DD."]
