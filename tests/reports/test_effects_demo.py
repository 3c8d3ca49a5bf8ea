"""The demo data have ended measures old enough to show outcomes: the effects report is not empty."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from registry.models import User
from reports.key_figures import Period
from reports.scb import HalfYear
from reports.selectors.effects import effects_report

pytestmark = pytest.mark.django_db


def test_the_demo_shows_known_outcomes_for_the_last_half_years(client):
    call_command("seed_demo", stdout=None)
    manager = User.objects.get(username="chef")
    today = timezone.localdate()
    half_year = HalfYear.containing(today).previous()
    report = effects_report(
        user=manager, period=Period(half_year.start, half_year.end), today=today
    )
    total = report.total
    assert total.current.ended >= 5 and total.previous.ended >= 5
    # Ended at least 6 months ago: many outcomes are known, some of them in work or studies.
    assert total.previous.known(6) >= 5
    assert total.previous.share(6) is not None
    outcomes = {
        code
        for counts in (total.current, total.previous)
        for code, n in counts.after[6].items()
        if n
    }
    assert {"upper_secondary", "left"} & outcomes
    assert len(report.by_measure_type) >= 3 and len(report.by_actor) >= 3
    # A second run adds nothing.
    call_command("seed_demo", stdout=None)
    again = effects_report(user=manager, period=Period(half_year.start, half_year.end), today=today)
    assert again.total.current.ended == total.current.ended

    client.force_login(User.objects.get(username="sekreterare"))
    page = client.get("/rapporter/").content.decode()
    assert "Insatsernas effekter" in page
    assert "Inga insatser avslutades" not in page
