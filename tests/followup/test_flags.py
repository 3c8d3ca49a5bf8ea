"""Overdue flags from the stored RoutineState: opened, resolved, idempotent, set-based."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from casework.models import RoutineState
from followup.models import OverdueFlag
from followup.services import flags
from followup.services.flags import overdue_flags_sync
from tests.factories import EnrolmentFactory, MunicipalityFactory, YouthFactory

from .factories import RoutineStateFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def overdue_state(municipality, **fields):
    """A first contact due 2026-09-08, overdue after 2026-09-15: long overdue on TODAY."""
    enrolment = EnrolmentFactory(youth=YouthFactory(municipality=municipality), **fields)
    return RoutineStateFactory(enrolment=enrolment)


def open_flags():
    return set(
        OverdueFlag.objects.filter(resolved_on__isnull=True).values_list(
            "enrolment_id", "step", "due"
        )
    )


def test_opens_a_flag_for_an_overdue_step_and_not_for_one_within_tolerance(municipality):
    overdue = overdue_state(municipality)
    within = RoutineStateFactory(
        enrolment=EnrolmentFactory(youth=YouthFactory(municipality=municipality)),
        next_due=TODAY - datetime.timedelta(days=7),  # overdue after today: not yet
    )
    changes = overdue_flags_sync(today=TODAY)
    assert changes.opened == 1
    assert open_flags() == {(overdue.enrolment_id, "first_contact", datetime.date(2026, 9, 8))}
    assert not OverdueFlag.objects.filter(enrolment=within.enrolment).exists()
    # The next day the second one is past its tolerance too.
    assert overdue_flags_sync(today=TODAY + datetime.timedelta(days=1)).opened == 1


def test_a_second_run_changes_nothing(municipality):
    for _ in range(5):
        overdue_state(municipality)
    first = overdue_flags_sync(today=TODAY)
    second = overdue_flags_sync(today=TODAY)
    assert (first.opened, first.resolved) == (5, 0)
    assert (second.opened, second.resolved) == (0, 0)
    assert OverdueFlag.objects.count() == 5


def test_resolves_the_flag_when_the_step_is_done_and_flags_the_next_overdue_step(municipality):
    state = overdue_state(municipality)
    overdue_flags_sync(today=TODAY)
    # A first letter was sent on 2026-09-20; the second attempt is due a month later
    # and overdue by TODAY as well: the old flag closes, a new one opens.
    RoutineState.objects.filter(pk=state.pk).update(
        next_step="second_attempt",
        next_due=datetime.date(2026, 10, 20),
        overdue_after=datetime.date(2026, 10, 27),
    )
    changes = overdue_flags_sync(today=TODAY)
    assert (changes.opened, changes.resolved) == (1, 1)
    assert open_flags() == {(state.enrolment_id, "second_attempt", datetime.date(2026, 10, 20))}
    done = OverdueFlag.objects.get(step="first_contact")
    assert done.resolved_on == TODAY


def test_resolves_when_the_step_is_no_longer_overdue_or_the_enrolment_ended(municipality):
    caught_up = overdue_state(municipality)
    ended = overdue_state(municipality)
    overdue_flags_sync(today=TODAY)
    RoutineState.objects.filter(pk=caught_up.pk).update(
        next_step="periodic_attempt",
        next_due=TODAY + datetime.timedelta(days=80),
        overdue_after=TODAY + datetime.timedelta(days=87),
    )
    ended.enrolment.ended_on = TODAY
    ended.enrolment.end_reason = "moved_away"
    ended.enrolment.save()
    changes = overdue_flags_sync(today=TODAY)
    assert (changes.opened, changes.resolved) == (0, 2)
    assert open_flags() == set()


def test_one_municipality_at_a_time(municipality, other_municipality):
    here = overdue_state(municipality)
    there = overdue_state(other_municipality)
    assert overdue_flags_sync(today=TODAY, municipality=municipality).opened == 1
    assert open_flags() == {(here.enrolment_id, "first_contact", datetime.date(2026, 9, 8))}
    # Closing steps in one municipality leaves the other's flags alone.
    overdue_flags_sync(today=TODAY, municipality=other_municipality)
    RoutineState.objects.filter(pk=there.pk).update(next_step="", next_due=None, overdue_after=None)
    assert overdue_flags_sync(today=TODAY, municipality=municipality).resolved == 0
    assert len(open_flags()) == 2


@pytest.mark.parametrize("count", [3, 40])
def test_a_run_takes_the_same_few_queries_for_any_number_of_enrolments(
    municipality, count, django_assert_max_num_queries
):
    for _ in range(count):
        overdue_state(municipality)
    with django_assert_max_num_queries(4):  # savepoint + UPDATE + INSERT … SELECT
        assert overdue_flags_sync(today=TODAY).opened == count


def test_a_run_interrupted_mid_way_and_run_again_leaves_no_duplicates(municipality, monkeypatch):
    for _ in range(3):
        overdue_state(municipality)
    other = MunicipalityFactory(code="0997")
    for _ in range(2):
        overdue_state(other)
    # A run for one municipality completed before the crash.
    overdue_flags_sync(today=TODAY, municipality=other)

    real_open = flags._open

    def open_then_crash(**kwargs):
        real_open(**kwargs)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(flags, "_open", open_then_crash)
    with pytest.raises(RuntimeError):
        overdue_flags_sync(today=TODAY)
    # The interrupted run's inserts were rolled back with it.
    assert OverdueFlag.objects.count() == 2
    monkeypatch.setattr(flags, "_open", real_open)

    assert overdue_flags_sync(today=TODAY).opened == 3
    assert overdue_flags_sync(today=TODAY).opened == 0
    assert OverdueFlag.objects.count() == 5
    assert len(open_flags()) == 5


def test_the_database_refuses_a_second_open_flag_for_the_same_step(municipality):
    state = overdue_state(municipality)
    overdue_flags_sync(today=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        OverdueFlag.objects.create(
            enrolment=state.enrolment, step="first_contact", due=state.next_due, opened_on=TODAY
        )
