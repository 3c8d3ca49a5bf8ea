"""Hostile input to the API (docs/api.md, "Errors, always JSON"): never a 500, never HTML."""

from __future__ import annotations

import datetime
import json

import pytest

from registry.models import Youth
from registry.personnummer import synthetic
from tests.factories import YouthFactory

pytestmark = pytest.mark.django_db

PNR = synthetic(datetime.date(2009, 5, 5), 3)


def youth_body(**extra):
    return {"personnummer": PNR, "first_name": "Alva", "last_name": "Provsson", **extra}


def raw(client, method, path, body, content_type="application/json"):
    return client.generic(
        method,
        path,
        body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {client.key}"},
    )


def assert_json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["errors"], dict)
    return response.json()["errors"]


def test_unknown_api_path_answers_json_404(coordinator_api):
    errors = assert_json_error(coordinator_api.get("/api/v1/no-such-thing/"), 404)
    assert errors == {"__all__": ["Hittades inte."]}


def test_wrong_method_answers_json_405(coordinator_api):
    response = raw(coordinator_api, "DELETE", "/api/v1/youths/", "")
    assert_json_error(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("field", ["first_name", "last_name", "street", "email"])
def test_nul_in_any_text_answers_400_and_writes_nothing(coordinator_api, field):
    response = coordinator_api.post("/api/v1/youths/", youth_body(**{field: "Al\u0000va"}))
    errors = assert_json_error(response, 400)
    assert "NUL-tecken" in errors[field][0]
    assert not Youth.objects.exists()


def test_unpaired_surrogate_answers_400(coordinator_api):
    body = json.dumps(youth_body()).replace("Alva", "Al\\ud800va")
    errors = assert_json_error(raw(coordinator_api, "POST", "/api/v1/youths/", body), 400)
    assert list(errors) == ["first_name"]
    assert not Youth.objects.exists()


def test_surrogate_encoded_as_utf8_bytes_answers_400(coordinator_api):
    body = json.dumps(youth_body()).encode().replace(b"Alva", b"Al\xed\xa0\x80va")
    errors = assert_json_error(raw(coordinator_api, "POST", "/api/v1/youths/", body), 400)
    assert "UTF-8" in errors["__all__"][0]


def test_nul_in_a_patch_answers_400_and_changes_nothing(coordinator_api, municipality):
    youth = YouthFactory(municipality=municipality, city="Provstad")
    response = coordinator_api.patch(f"/api/v1/youths/{youth.pk}/", {"city": "X\u0000"})
    assert_json_error(response, 400)
    youth.refresh_from_db()
    assert youth.city == "Provstad"


def test_nul_in_the_query_answers_400(coordinator_api):
    assert_json_error(coordinator_api.get("/api/v1/worklist/", {"as_of": "2026\u0000"}), 400)


@pytest.mark.parametrize("path", ["/api/v1/youths/", "/api/v1/worklist/"])
@pytest.mark.parametrize("page", [0, -1, 10**15, 10**30, "x"])
def test_page_out_of_bounds_answers_400(coordinator_api, path, page):
    errors = assert_json_error(coordinator_api.get(path, {"page": page}), 400)
    assert list(errors) == ["page"]


def test_page_past_the_last_answers_400(coordinator_api, municipality):
    YouthFactory(municipality=municipality)
    errors = assert_json_error(coordinator_api.get("/api/v1/youths/", {"page": 2}), 400)
    assert "Sista sidan är 1" in errors["page"][0]


def test_the_first_page_of_an_empty_list_is_not_an_error(coordinator_api):
    assert coordinator_api.get("/api/v1/youths/", {"page": 1}).json()["count"] == 0


def test_body_over_the_limit_answers_413(coordinator_api, settings):
    settings.API_MAX_BODY_BYTES = 1000
    body = json.dumps(youth_body(street="x" * 2000))
    errors = assert_json_error(raw(coordinator_api, "POST", "/api/v1/youths/", body), 413)
    assert "för stor" in errors["__all__"][0]
    assert not Youth.objects.exists()


def test_body_over_djangos_own_limit_answers_413(coordinator_api):
    body = json.dumps(youth_body(street="x" * 3_000_000))
    assert_json_error(raw(coordinator_api, "POST", "/api/v1/youths/", body), 413)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_wrong_content_type_answers_415(coordinator_api, content_type):
    response = raw(
        coordinator_api, "POST", "/api/v1/youths/", json.dumps(youth_body()), content_type
    )
    errors = assert_json_error(response, 415)
    assert "application/json" in errors["__all__"][0]
    assert not Youth.objects.exists()


def test_malformed_json_answers_400(coordinator_api):
    errors = assert_json_error(raw(coordinator_api, "POST", "/api/v1/youths/", "{not json"), 400)
    assert "JSON" in next(iter(errors.values()))[0]


def test_json_that_is_not_an_object_answers_400(coordinator_api):
    assert_json_error(raw(coordinator_api, "POST", "/api/v1/youths/", "[1, 2]"), 400)


def test_an_unexpected_error_answers_json_500_without_personal_data(coordinator_api, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError(f"cannot store {kwargs['personnummer']} {kwargs['last_name']}")

    monkeypatch.setattr("registry.services.youth_create", boom)
    response = coordinator_api.post("/api/v1/youths/", youth_body())
    errors = assert_json_error(response, 500)
    assert list(errors) == ["__all__"]
    text = response.content.decode()
    assert PNR not in text
    assert "Provsson" not in text


def test_openapi_declares_the_error_statuses(coordinator_api):
    document = coordinator_api.get("/api/v1/openapi.json").json()
    create = document["paths"]["/api/v1/youths/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "413", "415", "500"} <= set(create)
    read = document["paths"]["/api/v1/youths/{youth_id}/"]["get"]["responses"]
    assert {"200", "401", "403", "404", "500"} <= set(read)
    notify = document["paths"]["/api/v1/school-notifications/"]["post"]["responses"]
    assert "429" in notify
    page = next(
        p
        for p in document["paths"]["/api/v1/worklist/"]["get"]["parameters"]
        if p["name"] == "page"
    )
    assert page["schema"]["minimum"] == 1
