"""The reports demo data: idempotent, and the pages work on it."""

from __future__ import annotations

import pytest

from registry.demo import seed_users
from reports import demo
from reports.models import BoardAnalysis, PopulationFigure, Target

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
