"""Logging contact attempts: refusals, history, and the stored routine state."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from casework.models import ContactAttempt, RoutineState
from casework.services.contacts import contact_attempt_record, contact_attempt_update
from casework.services.routine_settings import routine_settings_for, routine_settings_update
from registry.models import Occupation
from tests.casework.factories import youth_enrolment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def enrolment(municipality, coordinator):
    return youth_enrolment(municipality, coordinator, registered_on=datetime.date(2026, 9, 1))


def record(user, enrolment, day, **kwargs):
    values = {"channel": "letter", "party": "youth", "outcome": "not_reached"} | kwargs
    return contact_attempt_record(user=user, enrolment=enrolment, date=day, **values)


def test_a_new_enrolment_gets_its_first_step(enrolment):
    state = RoutineState.objects.get(enrolment=enrolment)
    assert state.next_step == "first_contact"
    assert state.next_due == datetime.date(2026, 9, 8)
    assert state.overdue_after == datetime.date(2026, 9, 15)
    assert state.no_attempt_deviation_after == datetime.date(2026, 9, 15)


def test_recording_an_attempt_moves_the_next_step(enrolment, coordinator):
    attempt = record(coordinator, enrolment, datetime.date(2026, 9, 5))
    assert attempt.recorded_by == coordinator
    state = RoutineState.objects.get(enrolment=enrolment)
    assert state.next_step == "second_attempt"
    assert state.next_due == datetime.date(2026, 10, 5)
    assert state.first_attempt_on == datetime.date(2026, 9, 5)
    assert state.no_attempt_deviation_after is None


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(2026, 8, 31), "Datumet kan inte vara före inskrivningen (2026-09-01)."),
        (datetime.date(2026, 11, 25), "Datumet kan inte vara i framtiden."),
    ],
)
def test_refused_dates(enrolment, coordinator, day, message):
    with pytest.raises(ValidationError) as error:
        record(coordinator, enrolment, day)
    assert error.value.message_dict == {"date": [message]}
    assert not ContactAttempt.objects.exists()


def test_registration_day_and_today_are_allowed(enrolment, coordinator):
    record(coordinator, enrolment, datetime.date(2026, 9, 1))
    record(coordinator, enrolment, TODAY)
    assert ContactAttempt.objects.count() == 2


def test_refused_after_the_end(enrolment, coordinator):
    enrolment.ended_on = datetime.date(2026, 10, 1)
    enrolment.end_reason = "moved_away"
    enrolment.save()
    with pytest.raises(ValidationError) as error:
        record(coordinator, enrolment, datetime.date(2026, 10, 2))
    assert error.value.message_dict == {
        "date": ["Datumet kan inte vara efter avregistreringen (2026-10-01)."]
    }
    record(coordinator, enrolment, datetime.date(2026, 10, 1))


def test_unknown_channel_is_refused(enrolment, coordinator):
    with pytest.raises(ValidationError) as error:
        record(coordinator, enrolment, TODAY, channel="pigeon")
    assert "channel" in error.value.message_dict


def test_an_edit_keeps_history_and_refreshes(enrolment, coordinator, other_coordinator):
    attempt = record(coordinator, enrolment, datetime.date(2026, 9, 5))
    contact_attempt_update(
        user=other_coordinator, attempt=attempt, outcome="reached", note="Svarade i telefon"
    )
    attempt.refresh_from_db()
    assert attempt.outcome == "reached"
    history = list(attempt.history.order_by("history_date"))
    assert [h.outcome for h in history] == ["not_reached", "reached"]
    assert history[-1].history_user == other_coordinator
    state = RoutineState.objects.get(enrolment=enrolment)
    assert state.contact_established_on == datetime.date(2026, 9, 5)
    assert state.next_step == "offer_conversation"


def test_an_edit_is_refused_for_a_future_date(enrolment, coordinator):
    attempt = record(coordinator, enrolment, datetime.date(2026, 9, 5))
    with pytest.raises(ValidationError):
        contact_attempt_update(user=coordinator, attempt=attempt, date=datetime.date(2027, 1, 1))
    attempt.refresh_from_db()
    assert attempt.date == datetime.date(2026, 9, 5)


def test_ending_the_enrolment_removes_the_next_step(enrolment, coordinator):
    record(coordinator, enrolment, datetime.date(2026, 9, 5))
    enrolment.ended_on = datetime.date(2026, 10, 1)
    enrolment.end_reason = "moved_away"
    enrolment.save()
    state = RoutineState.objects.get(enrolment=enrolment)
    assert state.next_step == ""
    assert state.next_due is None
    assert state.deviations == ["occupation_unknown_at_end"]

    Occupation.objects.create(
        enrolment=enrolment, from_date=datetime.date(2026, 9, 20), kind="work"
    )
    assert RoutineState.objects.get(enrolment=enrolment).deviations == []


def test_a_settings_change_moves_due_dates(enrolment, manager):
    settings = routine_settings_for(enrolment.municipality)
    routine_settings_update(settings=settings, user=manager, data={"first_contact_days": 3})
    state = RoutineState.objects.get(enrolment=enrolment)
    assert state.next_due == datetime.date(2026, 9, 4)
    assert settings.history.latest().history_user == manager
