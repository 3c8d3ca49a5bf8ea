"""The nightly job recomputes only the routine states that can have changed, and is idempotent."""

import datetime

import pytest
import time_machine

from casework.models import RoutineState
from followup.models import OverdueFlag
from followup.tasks import overdue_flags_task
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = datetime.datetime(2026, 11, 22, 15, 0)
NIGHT_1 = datetime.datetime(2026, 11, 23, 2, 0)
DAY_1 = datetime.datetime(2026, 11, 23, 10, 0)
NIGHT_2 = datetime.datetime(2026, 11, 24, 2, 0)


def run():
    return overdue_flags_task.apply().get()


def tamper(enrolment):
    """Make a stored state wrong, as if a write had not reached it: a recompute puts it right."""
    RoutineState.objects.filter(enrolment=enrolment).update(deviations=["tampered"])


def is_tampered(enrolment):
    return RoutineState.objects.get(enrolment=enrolment).deviations == ["tampered"]


def enrolment(municipality, *, ended=False):
    return EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=datetime.date(2026, 6, 1),
        ended_on=datetime.date(2026, 10, 1) if ended else None,
        end_reason="moved_away" if ended else "",
    )


def test_only_active_untouched_and_touched_enrolments_are_recomputed(municipality):
    with time_machine.travel(BEFORE, tick=False):
        active = enrolment(municipality)
        ended = enrolment(municipality, ended=True)
        touched = enrolment(municipality, ended=True)
        RoutineState.objects.filter(enrolment=ended).delete()  # never computed
    with time_machine.travel(NIGHT_1, tick=False):
        first = run()
    # The first run: the active enrolment, and the ended one without a state.
    assert first["routine_states_refreshed"] == 2
    assert RoutineState.objects.filter(enrolment=ended).exists()

    with time_machine.travel(DAY_1, tick=False):
        touched.school = "Folkhögskolan"
        touched.save()  # a history row: touched since the last run
        for each in (active, ended, touched):
            tamper(each)
    with time_machine.travel(NIGHT_2, tick=False):
        second = run()
        third = run()
    assert second["routine_states_refreshed"] == 2
    assert not is_tampered(active) and not is_tampered(touched)
    assert is_tampered(ended)  # ended, untouched: its state is fixed and not recomputed
    # A repeat changes nothing but the active enrolment's state, recomputed to the same.
    assert third["routine_states_refreshed"] == 1
    assert third["opened"] == 0 and third["resolved"] == 0


def test_a_repeated_run_leaves_the_same_flags(municipality):
    with time_machine.travel(NIGHT_2, tick=False):
        overdue = enrolment(municipality)
        first = run()
        second = run()
    assert first["opened"] == 1 and second["opened"] == 0 and second["resolved"] == 0
    assert OverdueFlag.objects.filter(enrolment=overdue, resolved_on__isnull=True).count() == 1
