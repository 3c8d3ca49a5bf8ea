"""The stored RoutineState equals casework.routine.evaluate on generated cases."""

from __future__ import annotations

import datetime
import random

import pytest

from casework import routine
from casework.models import ContactAttempt, RoutineSettings, RoutineState
from casework.services.routine_state import routine_state_refresh, state_result
from registry.models import Enrolment, Occupation
from tests.factories import EnrolmentFactory, MunicipalityFactory, YouthFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)
CHANNELS = ["letter", "phone", "sms", "email", "home_visit", "meeting", "digital_meeting"]
OUTCOMES = ["not_reached", "not_reached", "not_reached", "info_sheet_left", "reached", "declined"]
KINDS = ["unknown", "work", "none", "health", "adult_education_part_time"]


def generate(rng, municipality, count):
    """Enrolments with random attempts, ends and occupations (written without signals)."""
    enrolments = []
    for _ in range(count):
        registered_on = TODAY - datetime.timedelta(days=rng.randint(0, 500))
        ended_on = None
        if rng.random() < 0.2:
            ended_on = registered_on + datetime.timedelta(
                days=rng.randint(0, (TODAY - registered_on).days)
            )
        enrolments.append(
            Enrolment(
                municipality=municipality,
                youth=YouthFactory(municipality=municipality),
                registered_on=registered_on,
                source="other",
                ended_on=ended_on,
                end_reason="other" if ended_on else "",
            )
        )
    Enrolment.objects.bulk_create(enrolments)
    attempts, occupations = [], []
    for enrolment in enrolments:
        last = enrolment.ended_on or TODAY
        span = (last - enrolment.registered_on).days
        for _ in range(rng.choice([0, 0, 1, 2, 3, 4, 6])):
            attempts.append(
                ContactAttempt(
                    enrolment=enrolment,
                    date=enrolment.registered_on + datetime.timedelta(days=rng.randint(0, span)),
                    channel=rng.choice(CHANNELS),
                    party="youth",
                    outcome=rng.choice(OUTCOMES),
                )
            )
        for _ in range(rng.choice([0, 1, 2])):
            occupations.append(
                Occupation(
                    enrolment=enrolment,
                    from_date=enrolment.registered_on
                    + datetime.timedelta(days=rng.randint(0, span + 30)),
                    kind=rng.choice(KINDS),
                )
            )
    ContactAttempt.objects.bulk_create(attempts)
    Occupation.objects.bulk_create(occupations)
    return enrolments


def expected(enrolment, days, as_of):
    attempts = [
        routine.Attempt(a.date, a.channel, a.outcome)
        for a in enrolment.contact_attempts.order_by("date", "pk")
    ]
    at_end = None
    if enrolment.ended_on:
        latest = (
            enrolment.occupations.filter(from_date__lte=enrolment.ended_on)
            .order_by("-from_date", "-pk")
            .first()
        )
        at_end = latest.kind if latest else None
    return routine.evaluate(
        registered_on=enrolment.registered_on,
        ended_on=enrolment.ended_on,
        attempts=attempts,
        days=days,
        as_of=as_of,
        occupation_at_end=at_end,
    )


def test_stored_state_equals_the_pure_routine(django_assert_max_num_queries):
    rng = random.Random(20261124)
    default_town = MunicipalityFactory(code="0997", name="Standardkommunen")
    short_town = MunicipalityFactory(code="0996", name="Snabbkommunen")
    RoutineSettings.objects.create(
        municipality=short_town,
        first_contact_days=3,
        second_attempt_days=14,
        home_visit_days=28,
        post_visit_followup_days=10,
        periodic_attempt_days=45,
        offer_conversation_days=5,
        regular_followup_days=60,
        tolerance_days=2,
    )
    generate(rng, default_town, 200)
    generate(rng, short_town, 120)

    with django_assert_max_num_queries(8):
        assert routine_state_refresh(today=TODAY) == 320

    checked = set()
    for state in RoutineState.objects.select_related("enrolment"):
        enrolment = state.enrolment
        days = (
            routine.RoutineDays.from_settings(short_town.routine_settings)
            if enrolment.municipality_id == short_town.pk
            else routine.RoutineDays()
        )
        for as_of in (TODAY, TODAY + datetime.timedelta(days=30)):
            assert state_result(state, as_of) == expected(enrolment, days, as_of), enrolment.pk
        checked.add(state.next_step)
    # The generated cases reach every step of the routine and the ended state.
    assert checked == {*routine.STEP_CODES, ""}


def test_refresh_is_scoped_to_the_municipality(municipality, other_municipality):
    ours = EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    theirs = EnrolmentFactory(youth=YouthFactory(municipality=other_municipality))
    RoutineState.objects.all().delete()
    assert routine_state_refresh(municipality=municipality, today=TODAY) == 1
    assert RoutineState.objects.filter(enrolment=ours).exists()
    assert not RoutineState.objects.filter(enrolment=theirs).exists()
