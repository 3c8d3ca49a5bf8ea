"""Services of mappings, plans, measures and actors: refusals, versions, history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from casework.models import Mapping, Measure, MeasureType, Plan, Responsible
from casework.services.plans import (
    StaleVersion,
    actor_create,
    actor_update,
    mapping_save,
    measure_end,
    measure_update,
    plan_measure_add,
    plan_save,
)
from tests.casework.factories import youth_enrolment
from tests.factories import EnrolmentFactory, YouthFactory

from .plan_factories import ActorFactory, MeasureFactory, PlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def enrolment(municipality):
    return youth_enrolment(municipality)


def test_first_plan_save_creates_version_1_with_history_user(coordinator, enrolment):
    plan = plan_save(
        user=coordinator, enrolment=enrolment, version=0, goal=" Jobb ", planning="Samtal"
    )
    assert (plan.goal, plan.planning, plan.version) == ("Jobb", "Samtal", 1)
    assert plan.history.first().history_user == coordinator


def test_plan_save_with_current_version_bumps_it(coordinator, enrolment):
    plan_save(user=coordinator, enrolment=enrolment, version=0, goal="A", planning="B")
    plan = plan_save(user=coordinator, enrolment=enrolment, version=1, goal="C", planning="D")
    assert (plan.goal, plan.version) == ("C", 2)


def test_stale_plan_save_changes_nothing_and_tells_who_saved(
    coordinator, other_coordinator, enrolment
):
    plan_save(user=coordinator, enrolment=enrolment, version=0, goal="Först", planning="P")
    plan_save(user=other_coordinator, enrolment=enrolment, version=1, goal="Annan", planning="Q")
    with pytest.raises(StaleVersion) as caught:
        plan_save(user=coordinator, enrolment=enrolment, version=1, goal="Min", planning="R")
    assert caught.value.current_version == 2
    assert caught.value.current_values == {"goal": "Annan", "planning": "Q"}
    assert caught.value.changed_by == other_coordinator
    plan = Plan.objects.get(enrolment=enrolment)
    assert (plan.goal, plan.version) == ("Annan", 2)


def test_two_first_saves_of_the_same_plan_cannot_both_win(coordinator, enrolment):
    plan_save(user=coordinator, enrolment=enrolment, version=0, goal="A", planning="B")
    with pytest.raises(StaleVersion):
        plan_save(user=coordinator, enrolment=enrolment, version=0, goal="C", planning="D")


def test_mapping_save_and_stale_mapping(coordinator, other_coordinator, enrolment):
    mapping = mapping_save(
        user=coordinator,
        enrolment=enrolment,
        version=0,
        date=datetime.date(2026, 10, 1),
        situation="Hemma",
        own_goal="Bli snickare",
    )
    assert (mapping.version, mapping.own_goal) == (1, "Bli snickare")
    mapping_save(
        user=other_coordinator,
        enrolment=enrolment,
        version=1,
        date=datetime.date(2026, 10, 1),
        situation="Praktik",
    )
    with pytest.raises(StaleVersion) as caught:
        mapping_save(user=coordinator, enrolment=enrolment, version=1, situation="Min text")
    assert caught.value.current_values["situation"] == "Praktik"
    assert Mapping.objects.get(enrolment=enrolment).situation == "Praktik"


def test_measure_add_creates_the_plan(coordinator, enrolment):
    measure = plan_measure_add(
        user=coordinator,
        enrolment=enrolment,
        type=MeasureType.INTERNSHIP,
        responsible=Responsible.YOUTH,
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    assert measure.plan.enrolment == enrolment
    assert measure.version == 1
    assert measure.history.first().history_user == coordinator


def test_measure_end_date_before_start_is_refused(coordinator, enrolment):
    with pytest.raises(ValidationError) as caught:
        plan_measure_add(
            user=coordinator,
            enrolment=enrolment,
            type=MeasureType.INTERNSHIP,
            starts_on=datetime.date(2026, 11, 1),
            ends_on=datetime.date(2026, 10, 31),
        )
    assert caught.value.message_dict == {
        "ends_on": ["Planerat slutdatum kan inte vara före startdatum."]
    }
    assert not Measure.objects.exists()


def test_ending_a_measure_without_a_reason_is_refused(coordinator):
    measure = MeasureFactory(plan__enrolment__youth__municipality=coordinator.municipality)
    with pytest.raises(ValidationError) as caught:
        measure_end(
            user=coordinator,
            measure=measure,
            version=1,
            ended_on=datetime.date(2026, 11, 20),
            end_reason="  ",
        )
    assert caught.value.message_dict == {
        "end_reason": ["Ange orsaken till att insatsen avslutades."]
    }
    measure.refresh_from_db()
    assert (measure.ended_on, measure.version) == (None, 1)


def test_ended_before_its_start_is_refused(coordinator):
    measure = MeasureFactory(plan__enrolment__youth__municipality=coordinator.municipality)
    with pytest.raises(ValidationError) as caught:
        measure_end(
            user=coordinator,
            measure=measure,
            version=1,
            ended_on=datetime.date(2026, 9, 1),
            end_reason="Avbröt",
        )
    assert "ended_on" in caught.value.message_dict


def test_measure_end_records_date_reason_and_evaluation(coordinator):
    measure = MeasureFactory(plan__enrolment__youth__municipality=coordinator.municipality)
    ended = measure_end(
        user=coordinator,
        measure=measure,
        version=1,
        ended_on=datetime.date(2026, 11, 20),
        end_reason="Fick anställning",
        evaluation_result="achieved",
        evaluation="Vägledningen ledde till ett jobb.",
    )
    ended.refresh_from_db()
    assert (ended.end_reason, ended.evaluation_result, ended.version) == (
        "Fick anställning",
        "achieved",
        2,
    )


def test_other_actor_without_actor_is_refused(coordinator, enrolment):
    with pytest.raises(ValidationError) as caught:
        plan_measure_add(
            user=coordinator,
            enrolment=enrolment,
            type=MeasureType.SOCIAL_SERVICES,
            responsible=Responsible.OTHER_ACTOR,
        )
    assert caught.value.message_dict == {"actor": ["Välj vilken aktör som ansvarar för insatsen."]}


def test_actor_of_another_municipality_is_refused(coordinator, enrolment, other_municipality):
    foreign = ActorFactory(municipality=other_municipality, name="BUP")
    with pytest.raises(ValidationError) as caught:
        plan_measure_add(
            user=coordinator,
            enrolment=enrolment,
            type=MeasureType.CHILD_PSYCHIATRY,
            responsible=Responsible.OTHER_ACTOR,
            actor=foreign,
        )
    assert "actor" in caught.value.message_dict


def test_stale_measure_update_changes_nothing(coordinator, other_coordinator):
    measure = MeasureFactory(plan__enrolment__youth__municipality=coordinator.municipality)
    measure_update(user=other_coordinator, measure=measure, version=1, description="Deras")
    with pytest.raises(StaleVersion) as caught:
        measure_update(user=coordinator, measure=measure, version=1, description="Min")
    assert caught.value.current_values["description"] == "Deras"
    measure.refresh_from_db()
    assert (measure.description, measure.version) == ("Deras", 2)


def test_measure_update_keeps_fields_not_given(coordinator):
    measure = MeasureFactory(plan__enrolment__youth__municipality=coordinator.municipality)
    measure_update(user=coordinator, measure=measure, version=1, description="Ny")
    measure.refresh_from_db()
    assert measure.starts_on == datetime.date(2026, 10, 1)
    assert measure.responsible == Responsible.MUNICIPALITY


def test_actor_names_are_unique_per_municipality(manager, municipality, other_municipality):
    actor = actor_create(user=manager, municipality=municipality, name="Komvux")
    with pytest.raises(ValidationError):
        actor_create(user=manager, municipality=municipality, name="komvux ")
    actor_create(user=manager, municipality=other_municipality, name="Komvux")
    actor_update(user=manager, actor=actor, name="Komvux Demostad", is_active=False)
    actor.refresh_from_db()
    assert (actor.name, actor.is_active) == ("Komvux Demostad", False)
    assert actor.history.first().history_user == manager


def test_plan_factory_is_complete(municipality):
    plan = PlanFactory(enrolment__youth__municipality=municipality)
    assert plan.version == 1


def test_facts_from_plan_reads_actor_and_a_chosen_result_as_written(municipality):
    from casework.completeness import missing_items
    from casework.selectors.plans import facts_from_plan

    actor = ActorFactory(municipality=municipality, name="Arbetsförmedlingen")
    measure = MeasureFactory(
        plan__enrolment__youth__municipality=municipality,
        responsible=Responsible.OTHER_ACTOR,
        actor=actor,
        evaluate_on=datetime.date(2026, 11, 1),
    )
    assert missing_items(facts_from_plan(measure.plan), today=TODAY) == [7]
    measure.evaluation_result = "partly"
    measure.save()
    facts = facts_from_plan(measure.plan)
    assert facts.measures[0].actor_name == "Arbetsförmedlingen"
    assert missing_items(facts, today=TODAY) == []
    assert facts_from_plan(None) is None


def test_missing_by_enrolment_agrees_with_the_plan_page_rule(
    municipality, django_assert_num_queries
):
    from casework.completeness import missing_items
    from casework.selectors.plans import facts_from_plan, missing_by_enrolment

    actor = ActorFactory(municipality=municipality, name="Socialtjänsten")
    no_plan = EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    empty = PlanFactory(enrolment__youth__municipality=municipality, goal="", planning="")
    complete = MeasureFactory(plan__enrolment__youth__municipality=municipality).plan
    mixed = PlanFactory(enrolment__youth__municipality=municipality)
    MeasureFactory(plan=mixed, responsible=Responsible.OTHER_ACTOR, actor=actor)
    MeasureFactory(plan=mixed, responsible="", starts_on=None)
    MeasureFactory(
        plan=mixed,
        ended_on=datetime.date(2026, 11, 1),
        end_reason="",
        evaluate_on=datetime.date(2026, 11, 20),
    )
    MeasureFactory(plan=mixed, evaluate_on=datetime.date(2026, 11, 1), evaluation="Bra")
    unnamed_actor = MeasureFactory(
        plan__enrolment__youth__municipality=municipality,
        responsible=Responsible.OTHER_ACTOR,
    ).plan
    plans = [empty, complete, mixed, unnamed_actor]
    ids = [no_plan.pk, *(plan.enrolment_id for plan in plans)]

    with django_assert_num_queries(2):
        result = missing_by_enrolment(enrolment_ids=ids, today=TODAY)

    expected = {no_plan.pk: [1, 2, 3, 4, 5, 7]} | {
        plan.enrolment_id: missing_items(facts_from_plan(plan), today=TODAY) for plan in plans
    }
    assert result == expected
    assert result[mixed.enrolment_id] == [2, 3, 4, 5, 6, 7]
    assert result[complete.enrolment_id] == []
    assert result[unnamed_actor.enrolment_id] == [4]


def test_a_stale_save_names_the_fields_the_other_writer_changed(coordinator, other_coordinator):
    measure = MeasureFactory(description="Start", follow_up_on=None)
    measure_update(
        user=other_coordinator,
        measure=measure,
        version=1,
        description="Kollegans",
        follow_up_on=datetime.date(2026, 12, 1),
    )
    with pytest.raises(StaleVersion) as caught:
        measure_update(user=coordinator, measure=measure, version=1, description="Min")
    assert caught.value.changed_fields == ("description", "follow_up_on")
    assert caught.value.changed_by == other_coordinator
