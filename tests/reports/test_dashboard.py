"""The manager's dashboard, targets, population figures, charts and the CSV export."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from casework.models import Outcome
from reports.charts import bar_chart, line_chart
from reports.key_figures import target_status
from reports.models import PopulationFigure, Target
from reports.selectors.dashboard import registrations_by_month

from .factories import attempt, enrolment, occupation

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


@pytest.fixture
def some_cases(municipality, other_municipality, coordinator):
    # Registered 2026-09-01 (reached day 10, at work), 2026-09-15 (never reached), 2025-10-03.
    first = enrolment(municipality, D(2026, 9, 1), coordinator=coordinator)
    attempt(first, D(2026, 9, 11), Outcome.REACHED)
    occupation(first, D(2026, 9, 20), "work")
    enrolment(municipality, D(2026, 9, 15))
    enrolment(municipality, D(2025, 10, 3))
    enrolment(other_municipality, D(2026, 9, 2))


@pytest.mark.parametrize(
    ("value", "target", "status"),
    [
        (100.0, 100, "ok"),
        (90.0, 100, "warn"),
        (89.9, 100, "bad"),
        (None, 90, ""),
    ],
)
def test_target_status_boundaries(value, target, status):
    assert target_status(value, target) == status


def test_bar_chart_draws_a_bar_per_value_and_hides_small_counts_when_asked():
    svg = bar_chart([("jan", 3), ("feb", 12), ("mar", 0)], title="Test")
    assert svg.startswith("<svg") and svg.count("<rect") == 2
    public = bar_chart([("jan", 3), ("feb", 12)], title="Test", suppress=True)
    assert public.count("<rect") == 1
    assert "&lt;5" in public and ">3<" not in public


def test_line_chart_escapes_labels():
    svg = line_chart([("<a>", 1.0), ("b", None), ("c", 2.0)], title="T & U")
    assert "&lt;a&gt;" in svg and "T &amp; U" in svg and svg.count("<polyline") == 2


@pytest.mark.django_db
def test_registrations_by_month_covers_24_months(some_cases, manager):
    months = registrations_by_month(manager, today=D(2026, 11, 24))
    assert len(months) == 24
    assert months[0] == (D(2024, 12, 1), 0)
    assert months[-1] == (D(2026, 11, 1), 0)
    as_dict = dict(months)
    assert as_dict[D(2026, 9, 1)] == 2
    assert as_dict[D(2025, 10, 1)] == 1


@pytest.mark.django_db
class TestDashboardPage:
    def test_shows_figures_with_comparison_and_charts(self, manager_client, some_cases):
        response = manager_client.get(
            "/rapporter/oversikt/", {"from_date": "2026-09-01", "to_date": "2026-10-31"}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert response.context["figures"].current.values["new_registrations"] == 2
        assert response.context["figures"].current.values["in_activity"] == 1
        assert '<tr data-figure="new_registrations">' in html
        # Three trend lines, by month, by occupation, and caseload per coordinator.
        assert html.count("<svg") == 6
        assert 'aria-label="Aktiva inskrivningar per koordinator i dag"' in html
        assert "Ej tilldelad" in html

    def test_refused_for_coordinators_and_board_secretaries(
        self, coordinator_client, board_secretary_client
    ):
        assert coordinator_client.get("/rapporter/oversikt/").status_code == 403
        assert board_secretary_client.get("/rapporter/oversikt/").status_code == 403

    def test_bad_period_shows_a_message_and_the_default(self, manager_client):
        response = manager_client.get(
            "/rapporter/oversikt/", {"from_date": "2026-10-01", "to_date": "2026-09-01"}
        )
        assert response.status_code == 200
        assert "Slutdatumet får inte vara före startdatumet." in response.content.decode()
        assert response.context["period"].start == D(2026, 8, 1)

    def test_manager_sets_a_target_and_sees_attainment(self, manager_client, manager, some_cases):
        response = manager_client.post(
            "/rapporter/oversikt/mal/",
            {"school_year": 2026, "figure": "in_activity_share", "value": "90"},
        )
        assert response.status_code == 302
        target = Target.objects.get()
        assert target.value == Decimal("90.0")
        assert target.history.first().history_user == manager
        # In activity on 10-31: 1 of 3 active (the 2025 one too) = 33.3 % against 90 %: red.
        page = manager_client.get(
            "/rapporter/oversikt/", {"from_date": "2026-09-01", "to_date": "2026-10-31"}
        )
        (item,) = page.context["attainment"]
        assert (item.value, item.status) == (33.3, "bad")
        assert 'class="status-bad"' in page.content.decode()

    def test_invalid_target_is_refused_with_a_message(self, manager_client):
        response = manager_client.post(
            "/rapporter/oversikt/mal/",
            {"school_year": 2026, "figure": "in_activity_share", "value": "120"},
            follow=True,
        )
        assert not Target.objects.exists()
        assert "100" in response.content.decode()

    def test_population_entry(self, manager_client, municipality):
        manager_client.post(
            "/rapporter/oversikt/befolkning/", {"as_of": "2026-09-01", "count": 812}
        )
        manager_client.post(
            "/rapporter/oversikt/befolkning/", {"as_of": "2026-09-01", "count": 815}
        )
        figure = PopulationFigure.objects.get()
        assert (figure.municipality, figure.count) == (municipality, 815)


@pytest.mark.django_db
def test_csv_export_of_key_figures(manager_client, some_cases):
    response = manager_client.get(
        "/rapporter/nyckeltal.csv", {"from_date": "2026-09-01", "to_date": "2026-10-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Nyckeltal;2026-09-01–2026-10-31;2026-07-01–2026-08-31")
    # Two registrations this period, none the period before.
    assert "Nya inskrivningar;2;0;2;" in lines
    assert any(line.startswith("Andel i aktivitet (%);33,3;") for line in lines)


@pytest.mark.django_db
def test_dashboard_runs_a_fixed_number_of_queries(
    manager_client, municipality, django_assert_max_num_queries
):
    for day in range(1, 4):
        enrolment(municipality, D(2026, 9, day))
    with django_assert_max_num_queries(25) as few:
        manager_client.get("/rapporter/oversikt/")
    for day in range(4, 30):
        enrolment(municipality, D(2026, 9, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get("/rapporter/oversikt/")


@pytest.mark.django_db
def test_contact_compliance_target_uses_the_routine(manager_client, municipality, some_cases):
    # Active in 09-01..10-31: the one reached on day 10 (due day 7, tolerance 7: meets), the
    # one never contacted (not) and the 2025 one (not): 1 of 3 = 33.3 % against 90 %.
    Target.objects.create(
        municipality=municipality, school_year=2026, figure="contact_meets_share", value=90
    )
    page = manager_client.get(
        "/rapporter/oversikt/", {"from_date": "2026-09-01", "to_date": "2026-10-31"}
    )
    (item,) = page.context["attainment"]
    assert (item.figure, item.value, item.status) == ("contact_meets_share", 33.3, "bad")


def test_long_bar_labels_wrap_onto_two_lines():
    svg = bar_chart([("Studier: kommunal vuxenutbildning", 5), ("Arbete", 7)], title="T", width=200)
    assert svg.count("<tspan") == 3
    assert ">Arbete</tspan>" in svg


@pytest.mark.django_db
def test_board_secretary_downloads_the_key_figures_csv_from_the_reports_page(
    board_secretary_client, some_cases
):
    period = {"from_date": "2026-09-01", "to_date": "2026-10-31"}
    page = board_secretary_client.get("/rapporter/", period).content.decode()
    link = "/rapporter/nyckeltal.csv?from_date=2026-09-01&amp;to_date=2026-10-31"
    assert link in page
    response = board_secretary_client.get("/rapporter/nyckeltal.csv", period)
    assert response.status_code == 200
    assert "Nya inskrivningar;2;0;2;" in response.content.decode("utf-8-sig").splitlines()
