"""Regional figures side by side (issue 15, docs/domain.md "Regions and moves")."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from registry.models import Region, Role, User
from tests.conftest import api_client_for, logged_in_client
from tests.factories import EnrolmentFactory, MunicipalityFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

PERIOD = {"from_date": "2026-09-01", "to_date": "2026-11-30"}
API_PERIOD = {"from": "2026-09-01", "to": "2026-11-30"}


def _enrol(municipality, count):
    for _ in range(count):
        EnrolmentFactory(youth=YouthFactory(municipality=municipality))


@pytest.fixture
def region(db):
    members = [
        MunicipalityFactory(code="1480", name="Göteborg"),
        MunicipalityFactory(code="1481", name="Mölndal"),
        MunicipalityFactory(code="1402", name="Partille"),
    ]
    _enrol(members[0], 7)
    _enrol(members[1], 3)
    _enrol(members[2], 2)
    region = Region.objects.create(name="Testregionen")
    region.municipalities.set(members)
    return region


@pytest.fixture
def analyst(region):
    return UserFactory(
        username="analytiker", role=Role.REGIONAL_ANALYST, municipality=None, region=region
    )


def test_the_api_gives_each_municipality_and_the_total_with_suppression(analyst):
    response = api_client_for(analyst).get("/api/v1/reports/regional/", API_PERIOD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"] == "Testregionen"
    active = {m["code"]: m["figures"]["active"] for m in body["municipalities"]}
    assert active == {"1402": "<5", "1480": 7, "1481": "<5"}
    assert body["total"]["figures"]["active"] == 12
    assert body["total"]["figures"]["new_registrations"] == 12
    # A share computed from 3 young people would give them away.
    molndal = next(m for m in body["municipalities"] if m["code"] == "1481")
    assert molndal["compliance"]["contact"] == "–"
    assert molndal["compliance"]["rated"] == "<5"


def test_a_single_hidden_count_is_not_given_away_by_the_total(region, analyst):
    partille = region.municipalities.get(code="1402")
    _enrol(partille, 4)  # 7, 3, 6: the one hidden count would be the total's rest
    body = api_client_for(analyst).get("/api/v1/reports/regional/", API_PERIOD).json()
    active = {m["code"]: m["figures"]["active"] for m in body["municipalities"]}
    assert active == {"1402": "–", "1480": 7, "1481": "<5"}


def test_the_page_csv_and_pdf_show_the_same_suppressed_figures(analyst):
    client = logged_in_client(analyst)
    page = client.get("/rapporter/region/", PERIOD)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Göteborg" in text and "Mölndal" in text and "Regionen totalt" in text
    assert "&lt;5" in text
    assert "<svg" in text  # the charts
    assert "data-regional-effects" in text and "Avslutade insatser" in text
    compliance = client.get("/rapporter/region/rutinefterlevnad/", PERIOD).content.decode()
    assert "Kontakt: uppfyller (%)" in compliance
    assert "Bedömda inskrivningar" in compliance

    csv_text = client.get("/rapporter/region.csv", PERIOD).content.decode("utf-8-sig")
    row = next(line for line in csv_text.splitlines() if line.startswith("Ungdomar i KAA vid"))
    # Columns in code order: Partille 1402, Göteborg 1480, Mölndal 1481, the region.
    assert row.split(";")[1:] == ["<5", "7", "<5", "12"]

    pdf = client.get("/rapporter/region/rapport.pdf", PERIOD)
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Regional rapport: Testregionen" in pdf_text
    assert "<5" in pdf_text


def test_the_analyst_starts_on_the_regional_page(analyst):
    response = logged_in_client(analyst).get("/")
    assert response["Location"] == "/rapporter/region/"


@pytest.mark.parametrize(
    "url", ["/ungdomar/", "/arende/arbetslista/", "/rapporter/", "/rapporter/oversikt/"]
)
def test_the_analyst_never_reaches_casework_or_municipal_reports(analyst, url):
    assert logged_in_client(analyst).get(url).status_code == 403


def test_the_analyst_never_reaches_a_young_person(analyst, region):
    youth = YouthFactory(municipality=region.municipalities.first())
    client = logged_in_client(analyst)
    assert client.get(f"/ungdomar/{youth.pk}/").status_code == 403
    api = api_client_for(analyst)
    assert api.get(f"/api/v1/youths/{youth.pk}/").status_code == 403
    assert api.get("/api/v1/youths/").status_code == 403
    assert api.get("/api/v1/moves/").status_code == 403
    assert api.get("/api/v1/reports/key-figures/", API_PERIOD).status_code == 403


def test_other_roles_are_refused_the_regional_figures(manager, board_secretary):
    assert api_client_for(manager).get("/api/v1/reports/regional/", API_PERIOD).status_code == 403
    assert logged_in_client(board_secretary).get("/rapporter/region/").status_code == 403


def _queries(client, url: str, query: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, query).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("url", "query", "api"),
    [
        ("/api/v1/reports/regional/", API_PERIOD, True),
        ("/rapporter/region/", PERIOD, False),
        ("/rapporter/region/rutinefterlevnad/", PERIOD, False),
    ],
)
def test_the_query_count_does_not_grow_with_the_municipalities(region, analyst, url, query, api):
    def client():
        return api_client_for(analyst) if api else logged_in_client(analyst)

    few = _queries(client(), url, query)
    more = [MunicipalityFactory(code=f"{1410 + n}", name=f"Kommun {n}") for n in range(10)]
    for municipality in more:
        _enrol(municipality, 2)
    region.municipalities.add(*more)
    assert region.municipalities.count() == 13
    assert _queries(client(), url, query) == few


def test_add_region_and_the_analyst_user(db):
    MunicipalityFactory(code="1480", name="Göteborg")
    MunicipalityFactory(code="1481", name="Mölndal")
    out = io.StringIO()
    call_command("add_region", "GR", "--municipalities", "1480,1481", stdout=out)
    call_command("add_region", "GR", "--municipalities", "1480,1481", stdout=out)
    assert "fanns redan; inget ändrat" in out.getvalue()
    assert Region.objects.get(name="GR").municipalities.count() == 2
    call_command(
        "add_user", "gr-analys", "--role", "regional_analyst", "--region", "GR", stdout=out
    )
    user = User.objects.get(username="gr-analys")
    assert (user.region.name, user.municipality) == ("GR", None)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="kräver en region"):
        call_command("add_user", "x", "--role", "regional_analyst", stdout=out)
    with pytest.raises(CommandError, match="9990"):
        call_command("add_region", "GR", "--municipalities", "1480,9990", stdout=out)


def test_the_municipality_list_is_sweden_s_290():
    from registry import municipalities

    codes = municipalities.municipalities()
    assert len(codes) == 290
    assert codes["0682"] == "Nässjö"
    assert codes["1480"] == "Göteborg"
    assert codes["2584"] == "Kiruna"
    assert all(len(code) == 4 and code.isdigit() for code in codes)
