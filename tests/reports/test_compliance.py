"""Routine compliance: each rating in each area on constructed cases, the sample, the endpoint."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from casework.completeness import MeasureFacts, PlanFacts
from casework.models import Actor, Channel, Mapping, Measure, Outcome, Plan, RoutineState
from casework.services.routine_state import state_result
from reports.compliance import (
    MEETS,
    NOT,
    PARTLY,
    CaseFacts,
    draw_sample,
    has_follow_up_and_evaluation_dates,
    rate_case,
    rate_contact,
    rate_evaluation,
    rate_mapping,
    rate_measures,
    summarise,
)
from reports.key_figures import Period
from reports.selectors.compliance import compliance
from tests.conftest import api_client_for
from tests.factories import UserFactory

from .factories import attempt, enrolment

D = datetime.date
TODAY = D(2026, 11, 24)

COMPLETE = MeasureFacts(
    responsible="municipality",
    starts_on=D(2026, 9, 1),
    ends_on=D(2026, 12, 1),
    follow_up_on=D(2026, 10, 1),
    evaluate_on=D(2026, 12, 1),
)


def plan(
    *measures: MeasureFacts, goal: str = "Börja studera", planning: str = "Vägledning"
) -> PlanFacts:
    return PlanFacts(goal=goal, planning=planning, measures=measures)


def with_(measure: MeasureFacts, **fields) -> MeasureFacts:
    return MeasureFacts(**(measure.__dict__ | fields))


class TestContact:
    @pytest.mark.parametrize(
        ("count", "deviations", "expected"),
        [
            (2, [], (MEETS, [])),
            (1, ["occupation_unknown_at_end"], (MEETS, [])),
            (1, ["first_contact_late"], (PARTLY, ["first_contact_late"])),
            (
                3,
                ["home_visit_late", "started_with_home_visit"],
                (PARTLY, ["home_visit_late", "started_with_home_visit"]),
            ),
            (0, ["first_contact_late", "no_contact_documented"], (NOT, ["no_contact_documented"])),
        ],
    )
    def test_ratings(self, count, deviations, expected):
        assert rate_contact(count, deviations) == expected


class TestMapping:
    def test_all_four_meets(self):
        assert rate_mapping(True, set(), dated=True) == (MEETS, [])

    @pytest.mark.parametrize(
        ("has_mapping", "missing", "dated", "reasons"),
        [
            (False, set(), True, ["no_mapping"]),
            (True, {1}, True, ["missing_item_1"]),
            (True, {4}, True, ["missing_items_2_4"]),
            (True, {2, 3, 4, 5, 7}, False, ["missing_items_2_4", "missing_item_7"]),
            (False, {1, 7}, False, ["no_mapping", "missing_item_1", "missing_item_7"]),
        ],
    )
    def test_one_to_three_is_partly(self, has_mapping, missing, dated, reasons):
        assert rate_mapping(has_mapping, missing, dated=dated) == (PARTLY, reasons)

    def test_none_of_the_four_does_not_meet(self):
        rating, reasons = rate_mapping(False, {1, 2, 3, 4, 5, 7}, dated=False)
        assert rating == NOT and len(reasons) == 4

    @pytest.mark.parametrize(
        ("facts", "dated"),
        [
            (None, False),
            (plan(), False),
            (plan(COMPLETE), True),
            (plan(COMPLETE, with_(COMPLETE, follow_up_on=None)), False),
            (plan(with_(COMPLETE, evaluate_on=None)), False),
            # An evaluation date that passed with nothing written is still a date.
            (plan(with_(COMPLETE, evaluate_on=D(2026, 10, 1))), True),
        ],
    )
    def test_the_fourth_thing_is_a_follow_up_and_evaluation_date_on_every_measure(
        self, facts, dated
    ):
        assert has_follow_up_and_evaluation_dates(facts) is dated

    def test_an_overdue_evaluation_is_not_a_mapping_gap(self):
        overdue = with_(COMPLETE, evaluate_on=D(2026, 10, 1))
        rated = rate_case(
            CaseFacts(enrolment_id=1, attempt_count=1, has_mapping=True, plan=plan(overdue)),
            today=TODAY,
        )
        assert (rated.ratings["mapping"], rated.reasons["mapping"]) == (MEETS, [])
        assert (rated.ratings["evaluation"], rated.reasons["evaluation"]) == (
            NOT,
            ["evaluation_missing"],
        )


class TestMeasures:
    def test_a_complete_measure_with_a_goal_meets(self):
        assert rate_measures(plan(COMPLETE), set()) == (MEETS, [])

    @pytest.mark.parametrize(
        ("missing", "reasons"),
        [({5}, ["missing_item_5"]), ({6}, ["missing_item_6"]), ({1, 7}, ["missing_item_1"])],
    )
    def test_one_missing_is_partly(self, missing, reasons):
        assert rate_measures(plan(COMPLETE), missing) == (PARTLY, reasons)

    @pytest.mark.parametrize("facts", [None, plan()])
    def test_no_measure_does_not_meet(self, facts):
        assert rate_measures(facts, {1, 2, 3, 4, 5, 7}) == (NOT, ["no_measure"])


class TestEvaluation:
    def test_dated_and_nothing_due_yet_meets(self):
        assert rate_evaluation(plan(COMPLETE), today=TODAY) == (MEETS, [])

    def test_ended_with_written_evaluation_meets(self):
        ended = with_(COMPLETE, ended_on=D(2026, 11, 1), end_reason="Klar", evaluation="Bra")
        assert rate_evaluation(plan(ended, COMPLETE), today=TODAY) == (MEETS, [])

    def test_some_of_those_needing_one_evaluated_is_partly(self):
        evaluated = with_(COMPLETE, evaluate_on=D(2026, 11, 1), evaluation="Bra")
        overdue = with_(COMPLETE, evaluate_on=D(2026, 11, 2))
        assert rate_evaluation(plan(evaluated, overdue), today=TODAY) == (
            PARTLY,
            ["evaluation_missing"],
        )

    def test_undated_measure_while_evaluations_are_written_is_partly(self):
        written = with_(COMPLETE, evaluation="Bra")
        undated = with_(COMPLETE, evaluate_on=None)
        assert rate_evaluation(plan(written, undated), today=TODAY) == (
            PARTLY,
            ["evaluation_date_missing"],
        )

    def test_undated_measure_and_nothing_written_does_not_meet(self):
        undated = with_(COMPLETE, evaluate_on=None)
        assert rate_evaluation(plan(COMPLETE, undated), today=TODAY) == (
            NOT,
            ["evaluation_date_missing"],
        )

    def test_evaluation_day_itself_is_not_yet_passed(self):
        due_today = with_(COMPLETE, evaluate_on=TODAY)
        assert rate_evaluation(plan(due_today), today=TODAY) == (MEETS, [])

    @pytest.mark.parametrize(
        ("facts", "reasons"),
        [
            (None, ["no_measure"]),
            (plan(), ["no_measure"]),
            (plan(with_(COMPLETE, evaluate_on=None, evaluation="Bra")), ["no_evaluation_date"]),
            (
                plan(with_(COMPLETE, ended_on=D(2026, 10, 1), end_reason="Avbröt")),
                ["evaluation_missing"],
            ),
        ],
    )
    def test_does_not_meet(self, facts, reasons):
        assert rate_evaluation(facts, today=TODAY) == (NOT, reasons)


def test_rate_case_combines_the_areas_with_completeness():
    rated = rate_case(
        CaseFacts(
            enrolment_id=7, attempt_count=1, deviations=["home_visit_late"], plan=plan(COMPLETE)
        ),
        today=TODAY,
    )
    assert rated.ratings == {
        "contact": PARTLY,
        "mapping": PARTLY,
        "measures": MEETS,
        "evaluation": MEETS,
    }
    assert rated.reasons["contact"] == ["home_visit_late"]
    assert rated.reasons["mapping"] == ["no_mapping"]
    assert summarise([rated, rated])["contact"] == {"meets": 0, "partly": 2, "not": 0}


class TestSample:
    def test_same_seed_same_sample_in_any_order(self):
        ids = list(range(1, 101))
        first = draw_sample(ids, 10, seed=42)
        assert first == draw_sample(list(reversed(ids)), 10, seed=42)
        assert len(first) == 10 and len(set(first)) == 10 and set(first) <= set(ids)
        assert first != draw_sample(ids, 10, seed=43)

    def test_a_sample_larger_than_the_population_is_everyone(self):
        assert draw_sample([3, 1, 2], 10, seed=1) == [1, 2, 3]


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


@pytest.fixture
def constructed(municipality, other_municipality):
    """Four cases active in 2026-09-01..2026-10-31, rated by hand below."""
    # 1: reached by phone on day 3, mapping, complete plan: meets everywhere but evaluation
    #    (evaluation date 10-20 passed on 10-31 with nothing written and no other: not).
    good = enrolment(municipality, D(2026, 9, 1))
    attempt(good, D(2026, 9, 3), Outcome.REACHED, Channel.PHONE)
    Mapping.objects.create(enrolment=good, situation="Söker arbete")
    good_plan = Plan.objects.create(enrolment=good, goal="Arbete", planning="Praktik först")
    actor = Actor.objects.create(municipality=municipality, name="Arbetsförmedlingen")
    Measure.objects.create(
        plan=good_plan,
        type="internship",
        responsible="other_actor",
        actor=actor,
        starts_on=D(2026, 9, 10),
        ends_on=D(2026, 12, 10),
        follow_up_on=D(2026, 10, 10),
        evaluate_on=D(2026, 10, 20),
    )
    # 2: first attempt a home visit on day 20 (late and started with a home visit): partly;
    #    no mapping, no plan: mapping not, measures not, evaluation not.
    late = enrolment(municipality, D(2026, 9, 1))
    attempt(late, D(2026, 9, 21), Outcome.INFO_SHEET_LEFT, Channel.HOME_VISIT)
    # 3: no attempt at all: contact not.
    silent = enrolment(municipality, D(2026, 10, 1))
    # 4: ended before the period: not rated. 5: registered after it: not rated.
    enrolment(municipality, D(2026, 3, 1), ended_on=D(2026, 8, 1), end_reason="turned_20")
    enrolment(municipality, D(2026, 11, 2))
    enrolment(other_municipality, D(2026, 9, 1))
    return good, late, silent


PERIOD = Period(D(2026, 9, 1), D(2026, 10, 31))


@pytest.mark.django_db
class TestFromTheDatabase:
    def test_constructed_cases(self, constructed, manager, django_assert_max_num_queries):
        good, late, silent = constructed
        with django_assert_max_num_queries(7):
            result = compliance(user=manager, period=PERIOD, today=TODAY)
        assert result.total == 3 and result.as_of == D(2026, 10, 31)
        by_id = {case.enrolment_id: case for case in result.cases}
        assert by_id[good.pk].ratings == {
            "contact": MEETS,
            "mapping": MEETS,
            "measures": MEETS,
            "evaluation": NOT,
        }
        # The evaluation date passed (10-20) with nothing written: the plan misses item 7,
        # but mapping counts only that the dates are set; the evaluation area rates the gap.
        assert by_id[good.pk].reasons["mapping"] == []
        assert by_id[good.pk].reasons["evaluation"] == ["evaluation_missing"]
        assert by_id[late.pk].ratings == {
            "contact": PARTLY,
            "mapping": NOT,
            "measures": NOT,
            "evaluation": NOT,
        }
        assert by_id[late.pk].reasons["contact"] == [
            "first_contact_late",
            "started_with_home_visit",
        ]
        assert by_id[silent.pk].ratings["contact"] == NOT
        assert result.areas["contact"] == {"meets": 1, "partly": 1, "not": 1}

    def test_contact_matches_the_stored_routine_state_today(self, constructed, manager):
        today_period = Period(D(2026, 9, 1), TODAY)
        result = compliance(user=manager, period=today_period, today=TODAY)
        assert len(result.cases) == 4  # the three above and the one registered 11-02
        for case in result.cases:
            state = RoutineState.objects.get(enrolment_id=case.enrolment_id)
            stored = state_result(state, TODAY)
            expected = rate_contact(0 if state.first_attempt_on is None else 1, stored.deviations)
            assert (case.ratings["contact"], case.reasons["contact"]) == expected

    def test_sample_is_reproducible(self, municipality, manager):
        for day in range(1, 21):
            enrolment(municipality, D(2026, 9, day))
        first = compliance(user=manager, period=PERIOD, today=TODAY, sample=5, seed=7)
        again = compliance(user=manager, period=PERIOD, today=TODAY, sample=5, seed=7)
        other = compliance(user=manager, period=PERIOD, today=TODAY, sample=5, seed=8)
        ids = [case.enrolment_id for case in first.cases]
        assert len(ids) == 5 and first.total == 20
        assert ids == [case.enrolment_id for case in again.cases]
        assert ids != [case.enrolment_id for case in other.cases]


URL = "/api/v1/reports/compliance/"


@pytest.mark.django_db
class TestEndpoint:
    def test_shape_as_api_md(self, constructed, manager_api):
        _good, late, _silent = constructed
        response = manager_api.get(URL, {"from": "2026-09-01", "to": "2026-10-31"})
        assert response.status_code == 200
        body = response.json()
        assert body["areas"]["contact"] == {"meets": 1, "partly": 1, "not": 1}
        assert set(body["areas"]) == {"contact", "mapping", "measures", "evaluation"}
        case = next(c for c in body["cases"] if c["enrolment"] == late.pk)
        assert case == {
            "enrolment": late.pk,
            "contact": "partly",
            "mapping": "not",
            "measures": "not",
            "evaluation": "not",
            "reasons": {
                "contact": ["first_contact_late", "started_with_home_visit"],
                "mapping": ["no_mapping", "missing_item_1", "missing_items_2_4", "missing_item_7"],
                "measures": ["no_measure"],
                "evaluation": ["no_measure"],
            },
        }

    def test_sample_with_seed(self, municipality, manager_api):
        for day in range(1, 21):
            enrolment(municipality, D(2026, 9, day))
        query = {"from": "2026-09-01", "to": "2026-10-31", "sample": 4, "seed": 99}
        first = manager_api.get(URL, query).json()
        again = manager_api.get(URL, query).json()
        assert len(first["cases"]) == 4 and first["cases"] == again["cases"]
        assert (first["total"], first["sample"], first["seed"]) == (20, 4, 99)
        assert sum(first["areas"]["contact"].values()) == 4

    def test_sample_without_seed_answers_the_seed_it_drew(self, municipality, manager_api):
        for day in range(1, 11):
            enrolment(municipality, D(2026, 9, day))
        body = manager_api.get(URL, {"from": "2026-09-01", "to": "2026-10-31", "sample": 3}).json()
        again = manager_api.get(
            URL, {"from": "2026-09-01", "to": "2026-10-31", "sample": 3, "seed": body["seed"]}
        ).json()
        assert body["cases"] == again["cases"]

    def test_only_managers(self, board_secretary_api, coordinator_api):
        query = {"from": "2026-09-01", "to": "2026-10-31"}
        assert board_secretary_api.get(URL, query).status_code == 403
        assert coordinator_api.get(URL, query).status_code == 403

    @pytest.mark.parametrize(
        ("extra", "field"),
        [
            ({"sample": 0}, "sample"),
            ({"sample": "tre"}, "sample"),
            ({"sample": 3, "seed": -5}, "seed"),
            ({"to": "2026-08-31"}, "to"),
            ({"from": "2026-02-30"}, "from"),
        ],
    )
    def test_bad_input_answers_400_naming_the_field(self, manager_api, extra, field):
        query = {"from": "2026-09-01", "to": "2026-10-31"} | extra
        response = manager_api.get(URL, query)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]

    def test_other_municipality_cases_are_not_rated(self, constructed, other_municipality):
        stranger = UserFactory(role="manager", municipality=other_municipality)
        body = api_client_for(stranger).get(URL, {"from": "2026-09-01", "to": "2026-10-31"}).json()
        assert len(body["cases"]) == 1


@pytest.mark.django_db
class TestPages:
    def test_auditors_table_and_the_cases_behind_a_cell(self, constructed, manager_client):
        _good, late, _silent = constructed
        page = manager_client.get(
            "/rapporter/rutinefterlevnad/", {"from_date": "2026-09-01", "to_date": "2026-10-31"}
        )
        assert page.status_code == 200
        html = page.content.decode()
        assert '<tr data-area="contact">' in html and "Alla 3 inskrivningar" in html
        cell = next(
            c
            for row in page.context["table"]
            if row["area"] == "contact"
            for c in row["cells"]
            if c["rating"] == "partly"
        )
        assert cell["count"] == 1
        cases = manager_client.get(cell["url"])
        assert cases.status_code == 200
        body = cases.content.decode()
        assert f'data-enrolment="{late.pk}"' in body
        assert late.youth.full_name in body
        assert f'href="{reverse("registry:youth_detail", args=[late.youth_id])}"' in body
        assert "Första kontakten sent, Började med hembesök" in body

    def test_a_sample_without_seed_gets_one_in_the_address(self, constructed, manager_client):
        response = manager_client.get(
            "/rapporter/rutinefterlevnad/",
            {"from_date": "2026-09-01", "to_date": "2026-10-31", "sample": 2},
        )
        assert response.status_code == 302 and "seed=" in response["Location"]
        page = manager_client.get(response["Location"])
        assert len(page.context["result"].cases) == 2
        again = manager_client.get(response["Location"])
        assert [c.enrolment_id for c in page.context["result"].cases] == [
            c.enrolment_id for c in again.context["result"].cases
        ]

    def test_only_managers(self, board_secretary_client, coordinator_client):
        assert board_secretary_client.get("/rapporter/rutinefterlevnad/").status_code == 403
        assert coordinator_client.get("/rapporter/rutinefterlevnad/").status_code == 403

    def test_unknown_cell_is_not_found(self, manager_client):
        response = manager_client.get(
            "/rapporter/rutinefterlevnad/arenden/", {"area": "x", "rating": "meets"}
        )
        assert response.status_code == 404


@pytest.mark.django_db
def test_compliance_queries_do_not_grow_with_cases(
    municipality, manager, django_assert_num_queries
):
    def add(count: int) -> None:
        for index in range(count):
            case = enrolment(municipality, D(2026, 9, 1 + index % 28))
            attempt(case, D(2026, 9, 29), Outcome.REACHED, Channel.PHONE)
            Mapping.objects.create(enrolment=case, situation="Söker arbete")
            plan = Plan.objects.create(enrolment=case, goal="Arbete", planning="Praktik")
            Measure.objects.create(plan=plan, type="guidance", responsible="youth")

    add(3)
    with django_assert_num_queries(5) as few:
        compliance(user=manager, period=PERIOD, today=TODAY)
    add(30)
    with django_assert_num_queries(len(few.captured_queries)):
        result = compliance(user=manager, period=PERIOD, today=TODAY)
    assert len(result.cases) == 33
