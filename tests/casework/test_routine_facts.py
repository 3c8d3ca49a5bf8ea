"""The one loader of the routine's facts, and the routine's answers about the attempts."""

from __future__ import annotations

import datetime
import random

import pytest

from casework import routine
from casework.models import RoutineSettings
from casework.selectors.routine_facts import routine_facts_for, routine_facts_of
from registry.models import Enrolment
from tests.factories import MunicipalityFactory

from .test_routine_state import CHANNELS, OUTCOMES, TODAY, generate

D = datetime.date


def expected_facts(enrolment: Enrolment, days: routine.RoutineDays) -> routine.Facts:
    attempts = tuple(
        routine.Attempt(a.date, a.channel, a.outcome)
        for a in enrolment.contact_attempts.order_by("date", "pk")
    )
    at_end = None
    if enrolment.ended_on:
        latest = (
            enrolment.occupations.filter(from_date__lte=enrolment.ended_on)
            .order_by("-from_date", "-pk")
            .first()
        )
        at_end = latest.kind if latest else None
    return routine.Facts(enrolment.registered_on, enrolment.ended_on, attempts, days, at_end)


@pytest.mark.django_db
def test_the_loader_reads_every_fact_in_three_queries_however_many_enrolments(
    django_assert_num_queries,
):
    rng = random.Random(7)
    town = MunicipalityFactory(code="0995", name="Faktakommunen")
    settings = RoutineSettings.objects.create(municipality=town, first_contact_days=3)
    one = generate(rng, town, 1)
    with django_assert_num_queries(2):
        routine_facts_for([e.pk for e in one])
    many = generate(rng, town, 30)
    ids = [e.pk for e in one + many]
    with django_assert_num_queries(2):
        by_id = routine_facts_for(ids)
    with django_assert_num_queries(2):
        from_queryset = routine_facts_for(Enrolment.objects.filter(pk__in=ids))
    assert by_id == from_queryset
    days = routine.RoutineDays.from_settings(settings)
    assert days.first_contact_days == 3
    for enrolment in Enrolment.objects.filter(pk__in=ids):
        assert by_id[enrolment.pk] == expected_facts(enrolment, days), enrolment.pk
    # The occupation at the end is read (two of the five loaders used to leave it out).
    assert any(facts.occupation_at_end for facts in by_id.values())


@pytest.mark.django_db
def test_loaded_enrolments_need_no_enrolment_query(django_assert_max_num_queries):
    rng = random.Random(8)
    town = MunicipalityFactory(code="0994", name="Laddkommunen")
    enrolments = generate(rng, town, 20)
    with django_assert_max_num_queries(2):
        facts = routine_facts_for(enrolments)
    assert facts == routine_facts_for([e.pk for e in enrolments])
    assert routine_facts_of(enrolments[0]) == facts[enrolments[0].pk]


def test_attempts_until_leaves_out_later_attempts():
    facts = routine.Facts(
        D(2026, 1, 1),
        None,
        (routine.Attempt(D(2026, 1, 3), "phone", "not_reached"),),
        routine.RoutineDays(),
    )
    assert facts.evaluate(D(2026, 1, 2)).attempt_count == 0
    assert facts.evaluate(D(2026, 1, 3)).attempt_count == 1


def random_attempts(rng: random.Random, registered_on: datetime.date) -> list[routine.Attempt]:
    return [
        routine.Attempt(
            registered_on + datetime.timedelta(days=rng.randint(0, 300)),
            rng.choice(CHANNELS),
            rng.choice(OUTCOMES),
        )
        for _ in range(rng.choice([0, 1, 2, 3, 4, 6, 8]))
    ]


def test_the_schedule_answers_the_attempt_deviations_of_an_earlier_day_as_evaluate():
    """``Schedule.contact_deviations_on`` (the compliance report's shortcut) equals evaluate."""
    rng = random.Random(20261124)
    days = routine.RoutineDays(home_visit_days=20, tolerance_days=3)
    for _ in range(3000):
        registered_on = TODAY - datetime.timedelta(days=rng.randint(0, 400))
        attempts = sorted(random_attempts(rng, registered_on), key=lambda a: a.date)
        computed_on = max([a.date for a in attempts] + [registered_on, TODAY])
        schedule = routine.schedule(
            registered_on=registered_on,
            ended_on=None,
            attempts=attempts,
            days=days,
            as_of=computed_on,
        )
        as_of = registered_on + datetime.timedelta(days=rng.randint(0, 400))
        as_of = min(as_of, computed_on)
        result = routine.evaluate(
            registered_on=registered_on, ended_on=None, attempts=attempts, days=days, as_of=as_of
        )
        answered = schedule.contact_deviations_on(as_of)
        if result.attempt_count == 0:
            assert answered is None
        else:
            assert answered == [
                code for code in result.deviations if code in routine.CONTACT_ATTEMPT_DEVIATIONS
            ]


def test_evaluate_answers_what_the_deviation_sentences_need():
    attempts = [
        routine.Attempt(D(2026, 1, 20), "letter", "not_reached"),
        routine.Attempt(D(2026, 5, 1), "home_visit", "info_sheet_left"),
        routine.Attempt(D(2026, 5, 20), "home_visit", "reached"),
    ]
    result = routine.evaluate(
        registered_on=D(2026, 1, 1),
        ended_on=None,
        attempts=attempts,
        days=routine.RoutineDays(),
        as_of=D(2026, 6, 1),
    )
    assert (result.first_attempt_on, result.home_visit_on, result.attempt_count) == (
        D(2026, 1, 20),
        D(2026, 5, 1),
        3,
    )
    assert result.next_step is not None
    assert result.next_step.overdue_since == result.next_step.due + datetime.timedelta(days=8)


@pytest.mark.django_db
def test_the_stored_state_follows_the_mapping_as_evaluate_does():
    from casework.models import Mapping, RoutineState
    from casework.services.routine_state import routine_state_refresh, state_result

    rng = random.Random(9)
    town = MunicipalityFactory(code="0993", name="Kartkommunen")
    enrolments = generate(rng, town, 150)
    Mapping.objects.bulk_create(
        Mapping(
            enrolment=enrolment,
            date=enrolment.registered_on
            + datetime.timedelta(days=rng.randint(0, (TODAY - enrolment.registered_on).days)),
        )
        for enrolment in enrolments[::2]
    )
    routine_state_refresh(today=TODAY)
    facts = routine_facts_for(enrolments)
    steps = set()
    for state in RoutineState.objects.filter(enrolment__in=enrolments):
        for as_of in (TODAY, TODAY + datetime.timedelta(days=30)):
            expected = facts[state.enrolment_id].evaluate(as_of)
            assert state_result(state, as_of) == expected, state.enrolment_id
        steps.add(state.next_step)
    assert routine.REGULAR_FOLLOWUP in steps and routine.OFFER_CONVERSATION in steps
