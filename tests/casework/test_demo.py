"""The casework demo: attempts on the demo enrolments, every step and deviation, idempotent."""

from __future__ import annotations

import datetime

import pytest

from casework import demo, routine
from casework.models import ContactAttempt, RoutineState
from casework.selectors.worklist import worklist_items
from registry.models import Enrolment
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.date(2026, 11, 24)


def test_seed_covers_every_step_and_deviation(municipality, coordinator, manager):
    # Enrolments like the registry's demo: registered over the last year, a few ended.
    for i in range(24):
        registered_on = TODAY - datetime.timedelta(days=5 + i * 15)
        EnrolmentFactory(
            youth=YouthFactory(municipality=municipality),
            registered_on=registered_on,
            coordinator=coordinator if i % 3 else None,
        )
    ended = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=TODAY - datetime.timedelta(days=200),
        ended_on=TODAY - datetime.timedelta(days=20),
        end_reason="moved_away",
    )

    summary = demo.seed_attempts(municipality, {"koordinator": coordinator, "chef": manager})
    assert "kontaktförsök" in summary
    count = ContactAttempt.objects.count()
    assert count > 20
    assert ContactAttempt.objects.first().history.exists()

    states = RoutineState.objects.filter(enrolment__municipality=municipality)
    assert states.count() == Enrolment.objects.count()
    steps_due = {s.next_step for s in worklist_items(user=manager, as_of=TODAY)}
    assert steps_due == set(routine.STEP_CODES)
    assert worklist_items(user=manager, as_of=TODAY, overdue_only=True).exists()
    deviations = {code for s in states for code in s.deviations}
    deviations |= {
        routine.NO_CONTACT_DOCUMENTED
        for s in states
        if s.no_attempt_deviation_after and s.no_attempt_deviation_after < TODAY
    }
    assert deviations == set(routine.DEVIATION_CODES)
    assert RoutineState.objects.get(enrolment=ended).next_step == ""

    assert (
        demo.seed_attempts(municipality, {"koordinator": coordinator})
        == "kontaktförsök fanns redan"
    )
    assert ContactAttempt.objects.count() == count


def test_seed_without_enrolments(municipality, coordinator):
    assert demo.seed_attempts(municipality, {"koordinator": coordinator}).startswith(
        "0 kontaktförsök"
    )


def test_seed_runs_the_plans_demo_too(municipality, coordinator, manager):
    EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    summary = demo.seed(municipality, {"koordinator": coordinator, "chef": manager})
    assert "kontaktförsök för 1 inskrivningar" in summary
    assert "aktörer" in summary
    assert "brevmallar" in summary
