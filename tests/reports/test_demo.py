"""The reports demo data: idempotent, and the pages work on it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from registry.demo import seed_users
from reports import demo
from reports.key_figures import Period
from reports.models import BoardAnalysis, PopulationFigure, Target
from reports.selectors.key_figures import key_figures
from tests.factories import YouthFactory

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent():
    municipality, users = seed_users()
    demo.seed(municipality, users)
    counts = (
        Target.objects.count(),
        PopulationFigure.objects.count(),
        BoardAnalysis.objects.count(),
    )
    assert counts == (3, 2, 1)
    assert demo.seed(municipality, users).startswith("0 nya poster")
    assert counts == (
        Target.objects.count(),
        PopulationFigure.objects.count(),
        BoardAnalysis.objects.count(),
    )


def test_the_analysis_shows_on_the_board_report_page(client):
    municipality, users = seed_users()
    demo.seed(municipality, users)
    client.force_login(users["sekreterare"])
    page = client.get("/rapporter/")
    assert demo.DEMO_ANALYSIS in page.content.decode()


def test_the_demo_im_students_count_in_earlier_periods_too():
    municipality, users = seed_users()
    YouthFactory(municipality=municipality, is_im_student=True)
    YouthFactory(municipality=municipality, is_im_student=False)
    demo.seed(municipality, users)
    today = timezone.localdate()
    half_year_ago = Period(
        today - datetime.timedelta(days=200), today - datetime.timedelta(days=20)
    )
    figures = key_figures(user=users["chef"], period=half_year_ago, today=today)
    assert figures.current.values["im_students"] == 1
    assert figures.previous.values["im_students"] == 1
