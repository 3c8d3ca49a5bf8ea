"""A personnummer never travels in a URL (docs/domain.md, data protection)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import YouthFactory

pytestmark = pytest.mark.django_db

LIST = reverse("registry:youth_list")


def urls_in(html: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html)


def test_the_search_form_posts(coordinator_client):
    html = coordinator_client.get(LIST).content.decode()
    form = re.search(r'<form method="(\w+)" class="filters" role="search">', html)
    assert form is not None
    assert form.group(1) == "post"


def test_a_personnummer_search_finds_the_person_without_putting_it_in_a_url(
    coordinator_client, municipality
):
    wanted = YouthFactory(municipality=municipality)
    YouthFactory.create_batch(2, municipality=municipality)
    number = wanted.formatted_personnummer
    response = coordinator_client.post(LIST, {"q": number, "status": "", "sort": "-registered"})
    assert response.status_code == 302
    location = response["Location"]
    assert wanted.personnummer[2:8] not in location
    assert "sort=-registered" in location  # the filters stay in the URL
    page = coordinator_client.get(location)
    assert [youth.pk for youth in page.context["page"]] == [wanted.pk]
    html = page.content.decode()
    assert f'value="{number}"' in html  # the search field shows what was searched
    assert [url for url in urls_in(html) if wanted.personnummer[2:8] in url] == []


def test_pagination_links_keep_the_search_without_the_text(
    coordinator_client, municipality, monkeypatch
):
    monkeypatch.setattr("registry.views.youths.PAGE_SIZE", 2)
    YouthFactory.create_batch(3, municipality=municipality, last_name="Sidsson")
    location = coordinator_client.post(LIST, {"q": "Sidsson"})["Location"]
    html = coordinator_client.get(location).content.decode()
    next_links = [url for url in urls_in(html) if "page=2" in url]
    assert next_links
    assert all("Sidsson" not in url and "s=" in url for url in next_links)
    second = coordinator_client.get(LIST + next_links[0].split(LIST, 1)[-1].replace("&amp;", "&"))
    assert len(second.context["page"]) == 1


def test_an_old_link_with_the_text_in_the_url_is_moved_out_of_it(coordinator_client, municipality):
    wanted = YouthFactory(municipality=municipality)
    response = coordinator_client.get(LIST, {"q": wanted.personnummer})
    assert response.status_code == 302
    assert wanted.personnummer not in response["Location"]
    page = coordinator_client.get(response["Location"])
    assert [youth.pk for youth in page.context["page"]] == [wanted.pk]


def test_another_sessions_search_key_finds_nothing(
    coordinator_client, manager_client, municipality
):
    wanted = YouthFactory(municipality=municipality)
    location = coordinator_client.post(LIST, {"q": wanted.personnummer})["Location"]
    page = manager_client.get(location)
    # The key names a search in the coordinator's session only: the manager's list is unfiltered.
    assert page.context["form"]["q"].value() in (None, "")


@pytest.mark.parametrize(
    "query",
    [{"personnummer": "20100101-0000"}, {"x": "PNR"}, {"pnr": "1"}],
)
def test_api_refuses_a_personnummer_in_the_query(coordinator_api, municipality, query):
    youth = YouthFactory(municipality=municipality)
    query = {key: (youth.personnummer if value == "PNR" else value) for key, value in query.items()}
    response = coordinator_api.get("/api/v1/youths/", query)
    assert response.status_code == 400
    assert "POST /api/v1/youths/lookup/" in next(iter(response.json()["errors"].values()))[0]


def test_api_lookup_answers_the_list_shape(coordinator_api, municipality):
    youth = YouthFactory(municipality=municipality)
    body = coordinator_api.post(
        "/api/v1/youths/lookup/", {"personnummer": youth.formatted_personnummer}
    ).json()
    assert body["count"] == 1
    assert body["next"] is None
    assert body["results"][0]["id"] == youth.pk
    unknown = coordinator_api.post("/api/v1/youths/lookup/", {"personnummer": "123"})
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["personnummer"]


def test_a_date_in_the_query_is_not_taken_for_a_personnummer(coordinator_api):
    assert coordinator_api.get("/api/v1/worklist/", {"as_of": "2026-03-01"}).status_code == 200
