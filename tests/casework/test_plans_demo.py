"""The demo plans: every state from empty to complete and evaluated; a second run adds nothing."""

from __future__ import annotations

import datetime

import pytest

from casework import demo_plans
from casework.completeness import missing_items
from casework.models import Actor, Mapping, Measure, Plan
from casework.selectors.plans import facts_from_plan
from registry.models import Enrolment
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def test_seed_makes_every_state_and_is_idempotent(municipality, coordinator, manager):
    for index in range(12):
        EnrolmentFactory(
            youth=YouthFactory(municipality=municipality),
            registered_on=TODAY - datetime.timedelta(days=100 + index),
        )
    users = {"koordinator": coordinator, "chef": manager}
    summary = demo_plans.seed(municipality, users, today=TODAY)
    assert "aktörer" in summary
    assert set(Actor.objects.values_list("name", flat=True)) == set(demo_plans.DEMO_ACTORS)

    missing = {
        tuple(missing_items(facts_from_plan(getattr(e, "plan", None)), today=TODAY))
        for e in Enrolment.objects.filter(municipality=municipality).select_related("plan")
    }
    assert (1, 2, 3, 4, 5, 7) in missing  # no plan yet
    assert (2, 3, 4, 5, 7) in missing  # a goal, no measures
    assert (7,) in missing  # evaluation date passed, nothing written
    assert () in missing  # complete
    assert Measure.objects.filter(ended_on__isnull=False, evaluation_result="achieved").exists()
    assert Measure.objects.filter(evaluation_result="not_achieved").exists()
    assert Mapping.objects.count() > Plan.objects.count()  # a mapping without a plan yet

    counts = (
        Actor.objects.count(),
        Mapping.objects.count(),
        Plan.objects.count(),
        Measure.objects.count(),
    )
    demo_plans.seed(municipality, users, today=TODAY)
    assert counts == (
        Actor.objects.count(),
        Mapping.objects.count(),
        Plan.objects.count(),
        Measure.objects.count(),
    )


def test_recent_enrolments_get_no_ended_measures(municipality):
    user = UserFactory(municipality=municipality, username="demo-koordinator")
    for _ in range(10):
        EnrolmentFactory(youth=YouthFactory(municipality=municipality), registered_on=TODAY)
    demo_plans.seed(municipality, {"koordinator": user}, today=TODAY)
    assert Measure.objects.exists()
    assert not Measure.objects.filter(ended_on__isnull=False).exists()
