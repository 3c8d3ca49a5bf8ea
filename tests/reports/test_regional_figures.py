"""The regional figures' numbers (issue 15): the key-figures pass grouped by municipality.

Each municipality's column is exactly what its own key figures give; the region's
total is the same pass over all members (its medians are the medians of all the
day counts, not a sum or a median of medians); the effects of measures per
municipality with the suppression of public figures.
"""

from __future__ import annotations

import datetime
import statistics

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Measure, Outcome, Plan
from registry.models import Region, Role
from reports.key_figures import Period
from reports.selectors.key_figures import period_figures
from reports.selectors.regional import regional_figures
from tests.conftest import api_client_for, logged_in_client
from tests.factories import MunicipalityFactory, UserFactory

from .factories import attempt, enrolment, occupation

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 24)
PERIOD = Period(D(2026, 7, 1), D(2026, 11, 24))
# Days from registration to contact of those registered in the period, per municipality.
CONTACT_DAYS = {"1480": [2, 4], "1481": [10, 20, 30], "1402": [6]}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def _measure(enrolment_, ended_on: datetime.date) -> Measure:
    plan, _created = Plan.objects.get_or_create(enrolment=enrolment_)
    return Measure.objects.create(plan=plan, type="internship", ended_on=ended_on)


def _build(municipality, contact_days: list[int], *, extra: int) -> None:
    """Registrations in the period reached after ``contact_days``, and ``extra`` older
    cases of every kind the figures count (not reached, in work, ended, returned)."""
    for n, days in enumerate(contact_days):
        registered = D(2026, 8, 3) + datetime.timedelta(days=n)
        case = enrolment(municipality, registered)
        attempt(case, registered + datetime.timedelta(days=1))
        attempt(case, registered + datetime.timedelta(days=days), Outcome.REACHED)
    for n in range(extra):
        case = enrolment(municipality, D(2026, 2, 1) + datetime.timedelta(days=7 * n))
        if n % 2:
            occupation(case, D(2026, 3, 1), "work")
    enrolment(
        municipality,
        D(2025, 9, 1),
        ended_on=D(2026, 8, 20),
        end_reason="started_upper_secondary",
    )
    enrolment(municipality, D(2026, 9, 1), source="other")


@pytest.fixture
def region():
    members = {
        "1480": MunicipalityFactory(code="1480", name="Göteborg"),
        "1481": MunicipalityFactory(code="1481", name="Mölndal"),
        "1402": MunicipalityFactory(code="1402", name="Partille"),
    }
    for code, municipality in members.items():
        _build(municipality, CONTACT_DAYS[code], extra={"1480": 6, "1481": 3, "1402": 1}[code])
    region = Region.objects.create(name="Testregionen")
    region.municipalities.set(members.values())
    return region


def test_each_column_is_the_municipality_s_own_key_figures(region):
    figures = regional_figures(region=region, period=PERIOD, today=TODAY, with_compliance=False)
    for column in figures.municipalities:
        manager = UserFactory(
            role=Role.MANAGER, municipality=region.municipalities.get(code=column.code)
        )
        current, previous = period_figures(manager, [PERIOD, PERIOD.previous()], today=TODAY)
        assert column.figures.current.values == current.values, column.name
        assert column.figures.current.by_occupation == current.by_occupation
        assert column.figures.previous.values == previous.values, column.name


def test_the_total_is_the_region_s_not_a_sum_of_medians_or_shares(region):
    figures = regional_figures(region=region, period=PERIOD, today=TODAY, with_compliance=False)
    total = figures.total.figures.current.values
    columns = [column.figures.current.values for column in figures.municipalities]
    for code in ("active", "new_registrations", "not_reached", "in_activity", "judged_4_weeks"):
        assert total[code] == sum(values[code] for values in columns), code
    assert total["returned_to_studies"] == 3
    all_days = [days for days_of in CONTACT_DAYS.values() for days in days_of]
    assert total["median_days_to_contact"] == statistics.median(all_days) == 8
    # Neither the median of the municipalities' medians (6) nor their mean.
    assert sorted(values["median_days_to_contact"] for values in columns) == [3.0, 6.0, 20.0]
    assert total["in_activity_share"] == round(100 * total["in_activity"] / total["active"], 1)


@pytest.fixture
def effects_region():
    """Measures ended in the first half of 2026, the young people working since before."""
    members = [
        MunicipalityFactory(code="1480", name="Göteborg"),
        MunicipalityFactory(code="1481", name="Mölndal"),
        MunicipalityFactory(code="1402", name="Partille"),
    ]
    for municipality, count in zip(members, (6, 2, 5), strict=True):
        for _n in range(count):
            case = enrolment(municipality, D(2025, 9, 1))
            occupation(case, D(2025, 9, 1), "work")
            _measure(case, D(2026, 3, 2))
    region = Region.objects.create(name="Effektregionen")
    region.municipalities.set(members)
    return region


def test_the_effects_per_municipality_are_suppressed_as_public_figures(effects_region):
    analyst = UserFactory(
        username="analys", role=Role.REGIONAL_ANALYST, municipality=None, region=effects_region
    )
    query = {"from": "2026-01-01", "to": "2026-06-30"}
    body = api_client_for(analyst).get("/api/v1/reports/regional/", query).json()
    ended = {m["code"]: m["effects"]["ended"] for m in body["municipalities"]}
    # 2 is "<5"; the total (13) would give it away, so the smallest shown count is hidden.
    assert ended == {"1480": 6, "1481": "<5", "1402": "–"}
    assert body["total"]["effects"]["ended"] == 13
    shares = {m["code"]: m["effects"]["in_studies_or_work_6"] for m in body["municipalities"]}
    assert shares == {"1480": 100.0, "1481": "–", "1402": 100.0}
    assert body["total"]["effects"]["in_studies_or_work_6"] == 100.0
    # Twelve months after 2 March 2026 is still to come.
    assert body["total"]["effects"]["known_12"] == 0

    page = logged_in_client(analyst).get(
        "/rapporter/region/", {"from_date": "2026-01-01", "to_date": "2026-06-30"}
    )
    text = page.content.decode()
    assert "data-regional-effects" in text
    assert "I studier eller arbete efter 6 månader (%)" in text
    csv_text = (
        logged_in_client(analyst)
        .get("/rapporter/region.csv", {"from_date": "2026-01-01", "to_date": "2026-06-30"})
        .content.decode("utf-8-sig")
    )
    row = next(line for line in csv_text.splitlines() if line.startswith("Avslutade insatser"))
    # Columns in code order: Partille 1402, Göteborg 1480, Mölndal 1481, the region.
    assert row.split(";")[1:] == ["–", "6", "<5", "13"]


def _count_queries(region, municipalities_to_add: int) -> int:
    for n in range(municipalities_to_add):
        municipality = MunicipalityFactory(code=f"{1410 + n}", name=f"Kommun {n}")
        _build(municipality, [3, 9], extra=2)
        case = enrolment(municipality, D(2025, 9, 1))
        _measure(case, D(2026, 9, 1))
        region.municipalities.add(municipality)
    with CaptureQueriesContext(connection) as context:
        regional_figures(region=region, period=PERIOD, today=TODAY)
    return len(context.captured_queries)


def test_the_figures_compliance_and_effects_take_as_many_queries_for_3_as_for_13(region):
    three = _count_queries(region, 0)
    thirteen = _count_queries(region, 10)
    assert region.municipalities.count() == 13
    assert thirteen == three
