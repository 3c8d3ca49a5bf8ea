"""Figures on screen (issue 13): trend lines with targets on the dashboard, compliance as shares."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from casework.models import Outcome
from reports.models import Target, TargetFigure

from .factories import attempt, enrolment

D = datetime.date
PERIOD = {"from_date": "2026-09-01", "to_date": "2026-10-31"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


@pytest.fixture
def autumn(municipality):
    # Four registered in September (three reached in five days), two in May, one in March.
    for day in range(1, 5):
        case = enrolment(municipality, D(2026, 9, day))
        if day <= 3:
            attempt(case, D(2026, 9, day + 5), Outcome.REACHED)
    enrolment(municipality, D(2026, 5, 4))
    enrolment(municipality, D(2026, 5, 5))
    enrolment(municipality, D(2026, 3, 2))
    Target.objects.create(
        municipality=municipality,
        school_year=2026,
        figure=TargetFigure.REACHED_WITHIN_4_WEEKS,
        value=80,
    )
    Target.objects.create(
        municipality=municipality,
        school_year=2026,
        figure=TargetFigure.CONTACT_COMPLIANCE,
        value=75,
    )


@pytest.mark.django_db
def test_dashboard_draws_trend_lines_across_periods_with_the_target(manager_client, autumn):
    html = manager_client.get("/rapporter/oversikt/", PERIOD).content.decode()
    assert "Utveckling över fyra perioder" in html
    # Four two-month periods, oldest first, labelled on the axis.
    for label in ("mar–apr 2026", "maj–jun 2026", "jul–aug 2026", "sep–okt 2026"):
        assert f">{label}</text>" in html
    # The new registrations per period are written at each point: 1, 2, 0, 4.
    registrations = html.split('aria-label="Nya inskrivningar"')[1].split("</svg>")[0]
    assert [value for value in (">1<", ">2<", ">0<", ">4<") if value in registrations] == [
        ">1<",
        ">2<",
        ">0<",
        ">4<",
    ]
    # The target as a dashed line with its value in words (not colour alone).
    shares = html.split('aria-label="Andel kontakt inom 4 veckor (%)"')[1].split("</svg>")[0]
    assert 'stroke-dasharray="6 3"' in shares and "Mål 80 %" in shares


@pytest.mark.django_db
def test_compliance_shows_shares_and_a_chart_with_the_target(manager_client, autumn):
    html = manager_client.get("/rapporter/rutinefterlevnad/", PERIOD).content.decode()
    # Seven active in the period: three met the contact routine, four had no attempt.
    contact = html.split('<tr data-area="contact">')[1].split("</tr>")[0]
    assert "(42,9 %)" in contact and "(57,1 %)" in contact
    chart = html.split('aria-label="Andel som uppfyller rutinen per område (%)"')[1]
    assert ">42,9 %<" in chart and "Mål 75 %" in chart


@pytest.mark.django_db
def test_the_scb_page_names_the_layout_file_without_a_server_path(manager_client):
    from reports.scb import DEFAULT_LAYOUT_PATH

    html = manager_client.get("/rapporter/scb/").content.decode()
    assert "scb_layout.toml" in html
    assert str(DEFAULT_LAYOUT_PATH.parent) not in html
