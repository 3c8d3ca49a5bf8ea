"""docs/api.md, "Plans and mapping": fields, missing, 400/404/409."""

from __future__ import annotations

import datetime

import pytest

from casework.models import Mapping, Measure, Plan
from registry.models import AccessLog
from tests.casework.factories import youth_enrolment
from tests.conftest import api_client_for
from tests.factories import EnrolmentFactory, YouthFactory

from .plan_factories import ActorFactory, MappingFactory, MeasureFactory, PlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def enrolment(municipality):
    return youth_enrolment(municipality)


def plan_path(enrolment) -> str:
    return f"/api/v1/enrolments/{enrolment.pk}/plan/"


def test_plan_of_an_enrolment_without_plan(coordinator_api, coordinator, enrolment):
    response = coordinator_api.get(plan_path(enrolment))
    assert response.status_code == 200
    assert response.json() == {
        "enrolment": enrolment.pk,
        "goal": "",
        "planning": "",
        "version": 0,
        "missing": [1, 2, 3, 4, 5, 7],
        "measures": [],
    }
    assert AccessLog.objects.filter(user=coordinator, action="api_read").count() == 1


def test_plan_answers_missing_and_measures(coordinator_api, enrolment, municipality):
    plan = PlanFactory(enrolment=enrolment)
    actor = ActorFactory(municipality=municipality, name="BUP")
    measure = MeasureFactory(
        plan=plan, responsible="other_actor", actor=actor, evaluate_on=datetime.date(2026, 11, 1)
    )
    body = coordinator_api.get(plan_path(enrolment)).json()
    assert body["missing"] == [7]  # evaluation date passed, nothing written
    assert body["version"] == 1
    assert {k: body["measures"][0][k] for k in ("id", "actor", "actor_name", "responsible")} == {
        "id": measure.pk,
        "actor": actor.pk,
        "actor_name": "BUP",
        "responsible": "other_actor",
    }
    assert body["measures"][0]["starts_on"] == "2026-10-01"


def test_put_plan_then_stale_put_answers_409_and_changes_nothing(
    coordinator_api, manager_api, enrolment
):
    response = coordinator_api.put(
        plan_path(enrolment), {"goal": "Jobb", "planning": "Samtal", "version": 0}
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["missing"]) == (1, [2, 3, 4, 5, 7])
    assert (
        manager_api.put(plan_path(enrolment), {"goal": "Chefens", "version": 1}).status_code == 200
    )

    response = coordinator_api.put(plan_path(enrolment), {"goal": "Mitt", "version": 1})
    assert response.status_code == 409
    body = response.json()
    assert list(body["errors"]) == ["version"]
    assert body["current"]["goal"] == "Chefens"
    assert body["current"]["planning"] == "Samtal"  # a field left out keeps its value
    assert body["changed_by"] == "chef"
    assert body["changed"] == ["goal"]  # what the other writer changed since version 1
    plan = Plan.objects.get(enrolment=enrolment)
    assert (plan.goal, plan.version) == ("Chefens", 2)


def test_put_plan_without_version_is_400(coordinator_api, enrolment):
    response = coordinator_api.put(plan_path(enrolment), {"goal": "Jobb"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"version": ["Fältet måste fyllas i."]}}


def test_another_municipality_answers_404(coordinator_api, other_municipality):
    foreign = EnrolmentFactory(youth=YouthFactory(municipality=other_municipality))
    measure = MeasureFactory(plan=PlanFactory(enrolment=foreign))
    assert coordinator_api.get(plan_path(foreign)).status_code == 404
    assert coordinator_api.put(plan_path(foreign), {"goal": "x", "version": 1}).status_code == 404
    assert (
        coordinator_api.patch(
            f"/api/v1/measures/{measure.pk}/", {"description": "x", "version": 1}
        ).status_code
        == 404
    )
    assert coordinator_api.get(f"/api/v1/enrolments/{foreign.pk}/mapping/").status_code == 404
    assert Measure.objects.get().description != "x"


def test_board_secretary_is_403(board_secretary_api, enrolment):
    assert board_secretary_api.get(plan_path(enrolment)).status_code == 403


def test_post_measure(coordinator_api, enrolment, municipality):
    ActorFactory(municipality=municipality, name="Arbetsförmedlingen")
    response = coordinator_api.post(
        plan_path(enrolment) + "measures/",
        {
            "type": "employment_service",
            "description": "Inskrivning hos Arbetsförmedlingen",
            "responsible": "other_actor",
            "actor": "arbetsförmedlingen",
            "starts_on": "2026-11-01",
            "ends_on": "2027-02-28",
            "follow_up_on": "2026-12-15",
            "evaluate_on": "2027-02-28",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["actor_name"], body["version"], body["enrolment"]) == (
        "Arbetsförmedlingen",
        1,
        enrolment.pk,
    )
    plan = coordinator_api.get(plan_path(enrolment)).json()
    assert plan["missing"] == [1]  # only the goal and planning are left


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"starts_on": "2026-11-01", "ends_on": "2026-10-01"},
            {"ends_on": ["Planerat slutdatum kan inte vara före startdatum."]},
        ),
        (
            {"ended_on": "2026-11-20"},
            {"end_reason": ["Ange orsaken till att insatsen avslutades."]},
        ),
        (
            {"responsible": "other_actor"},
            {"actor": ["Välj vilken aktör som ansvarar för insatsen."]},
        ),
        ({"actor": 999999, "responsible": "other_actor"}, None),
        ({"starts_on": "1 november"}, {"starts_on": ["Ange ett datum som ÅÅÅÅ-MM-DD."]}),
    ],
)
def test_post_measure_refusals_are_400_with_field_errors(
    coordinator_api, enrolment, payload, errors
):
    response = coordinator_api.post(
        plan_path(enrolment) + "measures/", {"type": "guidance"} | payload
    )
    assert response.status_code == 400
    if errors is not None:
        assert response.json() == {"errors": errors}
    else:
        assert list(response.json()["errors"]) == ["actor"]
    assert not Measure.objects.exists()


def test_actor_of_another_municipality_is_unknown(coordinator_api, enrolment, other_municipality):
    foreign = ActorFactory(municipality=other_municipality, name="Grannens BUP")
    response = coordinator_api.post(
        plan_path(enrolment) + "measures/",
        {"type": "child_psychiatry", "responsible": "other_actor", "actor": foreign.pk},
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"actor": ["Aktören finns inte i kommunens aktörslista."]}}


def test_patch_measure_ends_it_and_stale_patch_is_409(coordinator_api, manager_api, enrolment):
    measure = MeasureFactory(plan=PlanFactory(enrolment=enrolment))
    path = f"/api/v1/measures/{measure.pk}/"
    response = coordinator_api.patch(
        path,
        {
            "ended_on": "2026-11-20",
            "end_reason": "Började på Komvux",
            "evaluation_result": "achieved",
            "evaluation": "Målet nåddes.",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["ends_on"]) == (2, "2027-01-31")

    response = manager_api.patch(path, {"description": "Gammal version", "version": 1})
    assert response.status_code == 409
    assert response.json()["current"]["end_reason"] == "Började på Komvux"
    assert response.json()["changed"] == [
        "ended_on",
        "end_reason",
        "evaluation_result",
        "evaluation",
    ]
    measure.refresh_from_db()
    assert measure.description == "Studie- och yrkesvägledning inför Komvux."
    assert measure.version == 2


def test_patch_measure_without_reason_is_400_and_changes_nothing(coordinator_api, enrolment):
    measure = MeasureFactory(plan=PlanFactory(enrolment=enrolment))
    response = coordinator_api.patch(
        f"/api/v1/measures/{measure.pk}/", {"ended_on": "2026-11-20", "version": 1}
    )
    assert response.status_code == 400
    assert "end_reason" in response.json()["errors"]
    measure.refresh_from_db()
    assert (measure.ended_on, measure.version) == (None, 1)


def test_mapping_get_put_and_stale(coordinator_api, manager_api, enrolment):
    path = f"/api/v1/enrolments/{enrolment.pk}/mapping/"
    body = coordinator_api.get(path).json()
    assert body == {
        "enrolment": enrolment.pk,
        "date": None,
        "situation": "",
        "interests": "",
        "needs": "",
        "obstacles": "",
        "own_goal": "",
        "version": 0,
    }
    response = coordinator_api.put(
        path,
        {"date": "2026-10-05", "situation": "Hemma", "own_goal": "Undersköterska", "version": 0},
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["date"]) == (1, "2026-10-05")
    manager_api.put(path, {"needs": "Stöd", "version": 1})
    response = coordinator_api.put(path, {"needs": "Mitt", "version": 1})
    assert response.status_code == 409
    assert response.json()["current"]["needs"] == "Stöd"
    mapping = Mapping.objects.get(enrolment=enrolment)
    assert (mapping.needs, mapping.own_goal, mapping.version) == ("Stöd", "Undersköterska", 2)


def test_mapping_of_protected_youth_is_404_for_another_coordinator(
    municipality, coordinator, other_coordinator
):
    enrolment = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, protected_identity=True),
        coordinator=other_coordinator,
    )
    MappingFactory(enrolment=enrolment)
    path = f"/api/v1/enrolments/{enrolment.pk}/mapping/"
    assert api_client_for(coordinator).get(path).status_code == 404
    assert api_client_for(other_coordinator).get(path).status_code == 200


def test_openapi_lists_the_plan_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/enrolments/{enrolment_id}/plan/",
        "/api/v1/enrolments/{enrolment_id}/plan/measures/",
        "/api/v1/measures/{measure_id}/",
        "/api/v1/enrolments/{enrolment_id}/mapping/",
    ):
        assert path in paths


def test_measure_fields_are_exactly_those_of_api_md(coordinator_api, enrolment, municipality):
    actor = ActorFactory(municipality=municipality, name="Socialtjänsten")
    measure = MeasureFactory(
        plan=PlanFactory(enrolment=enrolment), responsible="other_actor", actor=actor
    )
    body = coordinator_api.get(plan_path(enrolment)).json()
    assert {"goal", "planning", "version", "missing"} <= set(body)
    api_md_fields = {
        "description",
        "responsible",
        "actor",
        "starts_on",
        "ends_on",
        "follow_up_on",
        "evaluate_on",
        "ended_on",
        "end_reason",
        "evaluation",
        "version",
    }
    assert api_md_fields <= set(body["measures"][0])
    assert api_md_fields <= set(coordinator_api.get(f"/api/v1/measures/{measure.pk}/").json())
    mapping = coordinator_api.get(f"/api/v1/enrolments/{enrolment.pk}/mapping/").json()
    assert {"date", "situation", "interests", "needs", "obstacles", "own_goal", "version"} <= set(
        mapping
    )


def test_every_answer_with_the_record_is_a_logged_read(coordinator_api, coordinator, enrolment):
    measure = MeasureFactory(plan=PlanFactory(enrolment=enrolment))
    path = f"/api/v1/measures/{measure.pk}/"
    assert coordinator_api.get(path).status_code == 200
    assert coordinator_api.patch(path, {"description": "Ny", "version": 1}).status_code == 200
    assert coordinator_api.patch(path, {"description": "Gammal", "version": 1}).status_code == 409
    assert (
        coordinator_api.put(plan_path(enrolment), {"goal": "Mål", "version": 1}).status_code == 200
    )
    assert (
        coordinator_api.post(plan_path(enrolment) + "measures/", {"type": "guidance"}).status_code
        == 201
    )
    assert (
        coordinator_api.put(
            f"/api/v1/enrolments/{enrolment.pk}/mapping/",
            {"date": "2026-10-01", "needs": "Stöd", "version": 0},
        ).status_code
        == 200
    )
    logs = AccessLog.objects.filter(user=coordinator, youth=enrolment.youth, action="api_read")
    assert logs.count() == 6


def test_version_of_a_plan_not_yet_saved_must_be_0(coordinator_api, enrolment):
    response = coordinator_api.put(plan_path(enrolment), {"goal": "Mål", "version": 3})
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"version": ["Det finns ingen sparad version ännu: ange version 0."]}
    }
    assert not Plan.objects.exists()


def test_an_inactive_actor_cannot_be_given_a_new_measure(coordinator_api, enrolment, municipality):
    retired = ActorFactory(municipality=municipality, name="Gamla projektet", is_active=False)
    response = coordinator_api.post(
        plan_path(enrolment) + "measures/",
        {"type": "other", "responsible": "other_actor", "actor": retired.pk},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["actor"]
    assert not Measure.objects.exists()
    # A measure already given to it keeps it when other fields change.
    kept = MeasureFactory(
        plan=PlanFactory(enrolment=enrolment), responsible="other_actor", actor=retired
    )
    response = coordinator_api.patch(
        f"/api/v1/measures/{kept.pk}/", {"actor": retired.pk, "description": "Ny", "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["actor_name"] == "Gamla projektet"


def test_put_plan_null_empties_a_field_and_a_left_out_field_stays(coordinator_api, enrolment):
    PlanFactory(enrolment=enrolment, goal="Mål", planning="Planering")
    response = coordinator_api.put(plan_path(enrolment), {"goal": None, "version": 1})
    assert response.status_code == 200
    assert (response.json()["goal"], response.json()["planning"]) == ("", "Planering")
    assert response.json()["missing"][0] == 1


@pytest.mark.parametrize("version", [-1, 2, 99999999999999999999])
def test_any_version_but_the_current_is_409_and_changes_nothing(
    coordinator_api, enrolment, version
):
    measure = MeasureFactory(plan=PlanFactory(enrolment=enrolment), description="Start")
    response = coordinator_api.patch(
        f"/api/v1/measures/{measure.pk}/", {"description": "Ny", "version": version}
    )
    assert response.status_code == 409
    assert response.json()["current"]["description"] == "Start"
    measure.refresh_from_db()
    assert (measure.description, measure.version) == ("Start", 1)
