"""Every report page and file runs as many queries for 20 enrolments as for one.

A national installation has thousands of enrolments per municipality: a report
that reads them row by row (a query per case, per attempt, per occupation) would
not finish. Each test builds one case, counts the queries of the page, adds
nineteen more cases with attempts, occupations, plans and measures, and counts
again.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Outcome
from reports.board_report_build import board_report_build
from reports.key_figures import Period
from reports.models import BoardReport, PopulationFigure, ScbExport, Target, TargetFigure
from tests.casework.plan_factories import MeasureFactory, PlanFactory
from tests.conftest import api_client_for

from .factories import attempt, enrolment, occupation

D = datetime.date
PERIOD = {"from_date": "2026-07-01", "to_date": "2026-12-31"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2027, 1, 10, 12, 0), tick=False):
        yield


def add_cases(municipality, coordinator, count: int, *, start: int = 0) -> None:
    """``count`` cases registered in the autumn, each with what the reports read."""
    for index in range(start, start + count):
        case = enrolment(
            municipality,
            D(2026, 8, 1) + datetime.timedelta(days=index * 3),
            coordinator=coordinator,
            ended_on=D(2026, 12, 20) if index % 4 == 3 else None,
            end_reason="started_upper_secondary" if index % 4 == 3 else "",
            # Marked as an IM student: a problem the SCB page names (the first case too).
            is_im_student=index % 5 == 0,
        )
        attempt(case, case.registered_on + datetime.timedelta(days=2))
        attempt(case, case.registered_on + datetime.timedelta(days=9), Outcome.REACHED)
        occupation(case, case.registered_on, "none")
        occupation(case, case.registered_on + datetime.timedelta(days=20), "work")
        plan = PlanFactory(enrolment=case)
        MeasureFactory(plan=plan, starts_on=case.registered_on + datetime.timedelta(days=15))


@pytest.fixture
def one_case(municipality, coordinator):
    PopulationFigure.objects.create(municipality=municipality, as_of=D(2026, 1, 1), count=900)
    for figure in (TargetFigure.CONTACT_COMPLIANCE, "reached_within_4_weeks_share"):
        Target.objects.create(municipality=municipality, school_year=2026, figure=figure, value=80)
    add_cases(municipality, coordinator, 1)


def assert_same_count_with_more_cases(
    request_page, municipality, coordinator, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as one:
        first = request_page()
    add_cases(municipality, coordinator, 19, start=1)
    with django_assert_num_queries(len(one.captured_queries)):
        second = request_page()
    return first, second


@pytest.mark.django_db
@pytest.mark.usefixtures("one_case")
class TestQueriesDoNotGrowWithData:
    def test_dashboard(self, manager_client, municipality, coordinator, django_assert_num_queries):
        first, second = assert_same_count_with_more_cases(
            lambda: manager_client.get("/rapporter/oversikt/", PERIOD),
            municipality,
            coordinator,
            django_assert_num_queries,
        )
        assert first.status_code == second.status_code == 200
        assert second.context["figures"].current.values["new_registrations"] == 20

    def test_key_figures_csv(
        self, board_secretary_client, municipality, coordinator, django_assert_num_queries
    ):
        _first, second = assert_same_count_with_more_cases(
            lambda: board_secretary_client.get("/rapporter/nyckeltal.csv", PERIOD),
            municipality,
            coordinator,
            django_assert_num_queries,
        )
        assert "Nya inskrivningar;20;0;20;" in second.content.decode("utf-8-sig").splitlines()

    def test_key_figures_api(
        self, board_secretary, municipality, coordinator, django_assert_num_queries
    ):
        api = api_client_for(board_secretary)
        _first, second = assert_same_count_with_more_cases(
            lambda: api.get(
                "/api/v1/reports/key-figures/", {"from": "2026-07-01", "to": "2026-12-31"}
            ),
            municipality,
            coordinator,
            django_assert_num_queries,
        )
        assert second.json()["figures"]["new_registrations"]["current"] == 20

    def test_reports_start_page(
        self, board_secretary_client, municipality, coordinator, django_assert_num_queries
    ):
        first, second = assert_same_count_with_more_cases(
            lambda: board_secretary_client.get("/rapporter/", PERIOD),
            municipality,
            coordinator,
            django_assert_num_queries,
        )
        assert first.status_code == second.status_code == 200

    def test_scb_page(self, manager_client, municipality, coordinator, django_assert_num_queries):
        _first, second = assert_same_count_with_more_cases(
            lambda: manager_client.get("/rapporter/scb/", {"half_year": "2026-2"}),
            municipality,
            coordinator,
            django_assert_num_queries,
        )
        assert second.context["preview"].file.row_count == 20

    def test_scb_export_and_download(
        self, manager_client, municipality, coordinator, django_assert_num_queries
    ):
        def export_and_download():
            manager_client.post("/rapporter/scb/export/", {"half_year": "2026-2"})
            latest = ScbExport.objects.latest("id")
            return manager_client.get(f"/rapporter/scb/{latest.pk}/fil/")

        _first, second = assert_same_count_with_more_cases(
            export_and_download, municipality, coordinator, django_assert_num_queries
        )
        # A header and a row per young person.
        assert len(second.content.decode().splitlines()) == 21

    def test_board_report_build(
        self, manager, municipality, coordinator, django_assert_num_queries
    ):
        def build():
            report = BoardReport.objects.create(
                municipality=municipality,
                period_from=D(2026, 7, 1),
                period_to=D(2026, 12, 31),
                created_by=manager,
            )
            board_report_build(report_id=report.pk, today=D(2027, 1, 10))
            return BoardReport.objects.get(pk=report.pk)

        first, second = assert_same_count_with_more_cases(
            build, municipality, coordinator, django_assert_num_queries
        )
        assert first.status == second.status == BoardReport.Status.DONE


@pytest.mark.django_db
def test_figures_for_several_periods_in_one_pass_equal_one_at_a_time(
    manager, municipality, coordinator, django_assert_num_queries
):
    from reports.selectors.key_figures import period_figures

    add_cases(municipality, coordinator, 8)
    periods = [Period(D(2026, 7, 1), D(2026, 9, 30)), Period(D(2026, 10, 1), D(2026, 12, 31))]
    today = D(2027, 1, 10)
    # One pass for both periods, then the population and the IM students of each.
    with django_assert_num_queries(5):
        together = period_figures(manager, periods, today=today)
    apart = [period_figures(manager, [period], today=today)[0] for period in periods]
    assert together == apart
    assert together[0].values["new_registrations"] + together[1].values["new_registrations"] == 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period",
    [Period(D(2026, 7, 1), D(2026, 12, 31)), Period(D(2026, 9, 1), D(2026, 10, 31))],
)
def test_figures_with_the_trend_equal_the_figures_alone(manager, municipality, coordinator, period):
    from reports.selectors.key_figures import (
        key_figures,
        key_figures_with_trend,
        period_figures,
        trend,
    )

    add_cases(municipality, coordinator, 12)
    today = D(2027, 1, 10)
    figures, periods = key_figures_with_trend(
        user=manager, period=period, today=today, year_ago=True
    )
    alone = key_figures(user=manager, period=period, today=today)
    assert (figures.current, figures.previous) == (alone.current, alone.previous)
    assert figures.coordinators == alone.coordinators
    (year_ago,) = period_figures(manager, [period.year_earlier()], today=today)
    assert figures.year_ago == year_ago
    extras = {"im_students", "population_16_19"}  # read only for the periods in the tables

    def counted(each):
        return {code: value for code, value in each.values.items() if code not in extras}

    assert [counted(each) for each in periods] == [
        counted(each) for each in trend(manager, period, today=today)
    ]
    assert periods[-1].period == period and len(periods) == 4
