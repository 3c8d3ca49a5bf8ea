"""generate_dataset: a tiny data set with the proportions a user of the bench would notice."""

from __future__ import annotations

import datetime
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casework import routine
from casework.models import ContactAttempt, Mapping, Measure, RoutineSettings, RoutineState
from casework.services.routine_state import state_result
from registry.models import Enrolment, Municipality, Occupation, Region, User, Youth
from registry.personnummer import TEST_SERIAL_RANGE, parse

TODAY = datetime.date(2026, 11, 20)
STATE_COLUMNS = (
    "enrolment_id",
    "contact_established_on",
    "first_attempt_on",
    "next_step",
    "next_due",
    "overdue_after",
    "deviations",
    "no_attempt_deviation_after",
    "home_visit_on",
    "attempt_count",
    "municipality_id",
    "coordinator_id",
    "protected_identity",
)


def generate(**options: object) -> str:
    out = StringIO()
    call_command(
        "generate_dataset",
        youths=600,
        municipalities=3,
        seed=11,
        today=TODAY.isoformat(),
        no_vacuum=True,
        stdout=out,
        **options,
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Generated once for the module (committed), emptied again afterwards."""
    with django_db_blocker.unblock():
        output = generate()
        yield output
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _db(db) -> None:
    """Each test in a transaction of its own, rolled back (the data set stays)."""


def test_the_big_municipality_and_its_bench_accounts(dataset):
    big = Municipality.objects.get(code="1480")
    assert big.name == "Storstad"
    assert Municipality.objects.count() == 3
    coordinator = User.objects.get(username="bench_coordinator")
    assert coordinator.municipality == big
    assert coordinator.check_password("bench-kaa-2026")
    assert User.objects.get(username="bench_manager").role == "manager"
    assert User.objects.get(username="bench_secretary").role == "board_secretary"
    # The big municipality has the most active enrolments, spread over its coordinators.
    active = Enrolment.objects.filter(ended_on__isnull=True)
    by_place = {m.code: active.filter(municipality=m).count() for m in Municipality.objects.all()}
    assert max(by_place, key=by_place.get) == "1480"
    assert active.filter(coordinator=coordinator).exists()
    assert active.filter(coordinator__isnull=True).exists()


def test_some_overdue_but_not_most_and_some_ended(dataset):
    assert Youth.objects.count() == 600
    active = Enrolment.objects.filter(ended_on__isnull=True)
    assert 80 <= active.count() <= 120  # about a sixth
    overdue = RoutineState.objects.filter(
        enrolment__ended_on__isnull=True, overdue_after__lt=TODAY
    ).count()
    assert 0 < overdue < active.count() / 2
    ended = Enrolment.objects.filter(ended_on__isnull=False)
    reasons = defaultdict(int)
    for reason in ended.values_list("end_reason", flat=True):
        reasons[reason] += 1
    assert max(reasons, key=reasons.get) == "turned_20"
    assert all(end <= TODAY for end in ended.values_list("ended_on", flat=True))


def test_autumn_brings_more_than_twice_the_registrations_of_spring(dataset):
    months = list(Enrolment.objects.values_list("registered_on__month", flat=True))
    autumn = sum(1 for month in months if month >= 7)
    assert autumn > 2 * (len(months) - autumn)


def test_active_young_people_are_16_to_19(dataset):
    for birth, registered in Enrolment.objects.filter(ended_on__isnull=True).values_list(
        "youth__birth_date", "registered_on"
    ):
        assert birth.replace(year=birth.year + 16) <= registered if birth.day != 29 else True
        assert (TODAY - birth).days < 20 * 366


def test_stored_routine_state_equals_the_routine(dataset):
    days = routine.RoutineDays.from_settings(RoutineSettings.objects.first())
    sample = list(Enrolment.objects.order_by("pk")[::7])
    assert len(sample) > 50
    for enrolment in sample:
        attempts = [
            routine.Attempt(a.date, a.channel, a.outcome)
            for a in ContactAttempt.objects.filter(enrolment=enrolment).order_by("date", "pk")
        ]
        at_end = None
        if enrolment.ended_on:
            latest = (
                Occupation.objects.filter(enrolment=enrolment, from_date__lte=enrolment.ended_on)
                .order_by("from_date", "pk")
                .last()
            )
            at_end = latest.kind if latest else None
        expected = routine.evaluate(
            registered_on=enrolment.registered_on,
            ended_on=enrolment.ended_on,
            attempts=attempts,
            days=days,
            as_of=TODAY,
            occupation_at_end=at_end,
            # The mapping's date closes the conversation step (docs/domain.md).
            mapped_on=Mapping.objects.filter(enrolment=enrolment)
            .values_list("date", flat=True)
            .first(),
        )
        assert state_result(RoutineState.objects.get(enrolment=enrolment), TODAY) == expected


def test_stored_routine_state_copies_its_enrolment(dataset):
    """The worklist reads these copies instead of joining the enrolment: they must agree."""
    states = RoutineState.objects.values_list(
        "enrolment__municipality_id",
        "municipality_id",
        "enrolment__coordinator_id",
        "coordinator_id",
        "enrolment__youth__protected_identity",
        "protected_identity",
    )
    assert states.count() == Enrolment.objects.count()
    for m_enrolment, m_state, c_enrolment, c_state, p_youth, p_state in states:
        assert (m_state, c_state, p_state) == (m_enrolment, c_enrolment, p_youth)
    assert RoutineState.objects.filter(protected_identity=True).exists()
    assert RoutineState.objects.filter(coordinator__isnull=True, next_step__gt="").exists()
    assert RoutineState.objects.filter(attempt_count__gt=0).exists()
    assert RoutineState.objects.filter(home_visit_on__isnull=False).exists()


def test_the_region_and_its_analyst(dataset):
    region = Region.objects.get(name="Storstadsregionen")
    # With three municipalities generated, the region holds the three of its codes made.
    assert set(region.municipalities.values_list("code", flat=True)) == {"1480", "1481", "1482"}
    analyst = User.objects.get(username="bench_analyst")
    assert analyst.role == "regional_analyst"
    assert analyst.region == region and analyst.municipality is None
    assert analyst.check_password("bench-kaa-2026")


def test_personnummer_are_valid_test_numbers(dataset):
    numbers = list(Youth.objects.values_list("personnummer", "birth_date"))
    for number, birth in numbers:
        parsed = parse(number, today=TODAY)
        assert parsed.birth_date == birth
        assert int(number[8:11]) in TEST_SERIAL_RANGE
    assert Youth.objects.filter(protected_identity=True).count() < 30


def test_plans_measures_attempts_and_history(dataset):
    assert ContactAttempt.objects.count() > 300
    assert Measure.objects.exists()
    assert Measure.objects.filter(end_reason__icontains="tackade nej").exists()
    assert Occupation.objects.filter(kind="work").exists()
    enrolment = Enrolment.objects.filter(ended_on__isnull=False).first()
    history = list(enrolment.history.order_by("history_date"))
    assert [row.history_type for row in history] == ["+", "~"]
    assert history[0].ended_on is None and history[1].ended_on == enrolment.ended_on
    assert Youth.history.count() == 600
    assert ContactAttempt.history.count() == ContactAttempt.objects.count()


def test_new_rows_get_fresh_ids_after_the_load(dataset):
    youth = Youth.objects.order_by("-pk").first()
    created = Youth.objects.create(
        municipality=youth.municipality,
        personnummer="200601019806",
        birth_date=datetime.date(2006, 1, 1),
        first_name="Ny",
        last_name="Person",
    )
    assert created.pk > youth.pk


def test_refuses_a_filled_database_unless_flushed(dataset):
    with pytest.raises(CommandError, match="--flush"):
        generate()
    generate(flush=True)
    assert Youth.objects.count() == 600


def test_the_routine_state_service_would_change_nothing(dataset):
    """The stored states are the service's own: a refresh finds nothing to rewrite."""
    from casework.services.routine_state import routine_state_refresh

    before = {row[0]: row[1:] for row in RoutineState.objects.values_list(*STATE_COLUMNS)}
    routine_state_refresh(today=TODAY)
    after = {row[0]: row[1:] for row in RoutineState.objects.values_list(*STATE_COLUMNS)}
    names = STATE_COLUMNS[1:]
    differ = {
        enrolment_id: {
            name: (old, new)
            for name, old, new in zip(names, before[enrolment_id], after[enrolment_id], strict=True)
            if old != new
        }
        for enrolment_id in before
        if before[enrolment_id] != after[enrolment_id]
    }
    assert differ == {}
