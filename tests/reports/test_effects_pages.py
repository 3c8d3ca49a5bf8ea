"""The effects section on the dashboard, the reports page and in the board report PDF."""

from __future__ import annotations

import datetime
import io
import re

import pypdf
import pytest
import time_machine

from casework.models import Actor, Measure, Plan
from reports.key_figures import Period
from reports.pdf import render_board_report_pdf
from reports.selectors.board import board_report_content

from .factories import enrolment, occupation

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 24)
PERIOD = {"from_date": "2025-01-01", "to_date": "2025-06-30"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def measure(enrolment_, ended_on, type_, **fields):
    plan, _created = Plan.objects.get_or_create(enrolment=enrolment_)
    return Measure.objects.create(plan=plan, type=type_, ended_on=ended_on, **fields)


@pytest.fixture
def ended_measures(municipality, coordinator):
    """Seven internships (six into work, one moved away) and two guidance measures."""
    social = Actor.objects.create(municipality=municipality, name="Socialtjänsten")
    for day in range(1, 7):
        person = enrolment(municipality, D(2024, 9, 1), coordinator=coordinator)
        occupation(person, D(2025, 3, day), "work")
        measure(person, D(2025, 2, day), "internship", responsible="municipality")
    mover = enrolment(municipality, D(2024, 9, 1), ended_on=D(2025, 5, 1), end_reason="moved_away")
    measure(mover, D(2025, 2, 20), "internship", responsible="municipality")
    worker = enrolment(municipality, D(2024, 9, 1))
    occupation(worker, D(2025, 1, 1), "work")
    measure(worker, D(2025, 4, 1), "guidance", responsible="other_actor", actor=social)
    measure(enrolment(municipality, D(2024, 9, 1)), D(2025, 4, 2), "guidance", responsible="youth")


def _flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_manager_sees_counts_shares_and_coordinators_on_the_dashboard(
    manager_client, ended_measures
):
    response = manager_client.get("/rapporter/oversikt/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Insatsernas effekter" in html
    flat = _flat(html)
    # Internships after 6 months: 6 in work, 1 left KAA; 6 of 6 known in work: 100 %.
    assert "Praktik/arbetsträning 6 mån 7 0 6 0 0 0 0 1 0 100,0 0 –" in flat
    # Guidance: one in work, one still enrolled without a recorded occupation: 50 %.
    assert "Studie- och yrkesvägledning 6 mån 2 0 1 0 0 0 1 0 0 50,0 0 –" in flat
    assert 'data-effects="coordinator"' in html
    assert "Socialtjänsten" in html
    assert "Ej tilldelad" in html


def test_board_secretary_sees_the_public_form_without_coordinators(
    board_secretary_client, ended_measures
):
    response = board_secretary_client.get("/rapporter/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Insatsernas effekter" in html
    assert 'data-effects="coordinator"' not in html
    flat = _flat(html)
    # 1 left is "<5"; it could be subtracted from 7, so the 6 is hidden too; 0 stays 0.
    assert "Praktik/arbetsträning 6 mån 7 0 – 0 0 0 0 &lt;5 0 100,0 0 –" in flat
    # Two guidance measures: every count 1-4 "<5", the share of 2 not shown.
    assert "Studie- och yrkesvägledning 6 mån &lt;5 0 &lt;5 0 0 0 &lt;5 0 0 – 0 –" in flat


def test_board_report_pdf_has_the_effects_section(manager, ended_measures):
    content = board_report_content(manager, Period(D(2025, 1, 1), D(2025, 6, 30)), today=TODAY)
    reader = pypdf.PdfReader(io.BytesIO(render_board_report_pdf(content)))
    flat = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert "Insatsernas effekter" in flat
    assert "Per insatstyp" in flat and "Per ansvarig" in flat
    assert "Per koordinator" not in flat
    assert "7 0 – 0 0 0 0 <5 0 100,0 0 –" in flat
    assert "Socialtjänsten" in flat


def test_an_empty_period_says_so(manager_client):
    response = manager_client.get("/rapporter/oversikt/", PERIOD)
    assert (
        "Inga insatser avslutades under perioden eller perioden före." in response.content.decode()
    )
