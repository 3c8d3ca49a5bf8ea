"""Confirming a print run logs one letter attempt per printed person, once, and only then."""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine
from django.urls import reverse

from casework.letters import LETTER_FOR_STEP
from casework.models import ContactAttempt, LetterBatch
from casework.routine import Attempt, RoutineDays, evaluate
from casework.services.contacts import contact_attempt_record
from casework.services.letters import letter_batch_confirm, letter_batch_create, letters_due
from tests.factories import EnrolmentFactory, YouthFactory

from .test_letters_batch import NOW, TODAY, enrolment_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def test_attempts_are_logged_only_after_confirmation(manager_client, manager, municipality):
    first = enrolment_due(municipality, "first_contact", first_name="Åke")
    second = enrolment_due(municipality, "second_attempt", first_name="Örjan")
    hidden = enrolment_due(municipality, "first_contact", protected_identity=True)

    manager_client.post(reverse("casework:letters_batch"))
    batch = LetterBatch.objects.get()
    manager_client.get(reverse("casework:letters_batch_pdf", args=[batch.pk]))
    detail = manager_client.get(reverse("casework:letters_batch_detail", args=[batch.pk]))
    assert "Jag har skrivit ut och skickat breven" in detail.content.decode()
    assert not ContactAttempt.objects.exists()

    response = manager_client.post(
        reverse("casework:letters_batch_confirm", args=[batch.pk]), follow=True
    )
    assert "2 brev loggades som kontaktförsök." in response.content.decode()
    attempts = {a.enrolment_id: a for a in ContactAttempt.objects.all()}
    assert set(attempts) == {first.pk, second.pk}
    assert hidden.pk not in attempts
    for attempt in attempts.values():
        assert (attempt.channel, attempt.party, attempt.outcome) == (
            "letter",
            "youth",
            "not_reached",
        )
        assert attempt.date == TODAY
        assert attempt.recorded_by == manager
        assert attempt.history.first().history_user == manager
    assert attempts[first.pk].note.startswith("Första brevet skickat per post")
    assert attempts[second.pk].note.startswith("Andra brevet")
    batch.refresh_from_db()
    assert batch.confirmed_at is not None and batch.confirmed_by == manager


def test_confirming_twice_logs_once(manager_client, municipality):
    enrolment_due(municipality, "first_contact")
    enrolment_due(municipality, "periodic_attempt")
    manager_client.post(reverse("casework:letters_batch"))
    batch = LetterBatch.objects.get()
    url = reverse("casework:letters_batch_confirm", args=[batch.pk])
    manager_client.post(url)
    again = manager_client.post(url, follow=True)
    assert "Utskicket var redan bekräftat" in again.content.decode()
    assert ContactAttempt.objects.count() == 2


def test_confirmation_moves_the_routine_on(manager, municipality):
    enrolment = enrolment_due(municipality, "first_contact")
    batch = letter_batch_create(user=manager, today=TODAY)
    result = letter_batch_confirm(user=manager, batch=batch)
    assert result.logged == [enrolment]
    enrolment.routine_state.refresh_from_db()
    # The first letter is the first attempt: the routine now waits for the second one.
    assert enrolment.routine_state.first_attempt_on == TODAY
    assert enrolment.routine_state.next_step != "first_contact"


def test_a_refused_letter_does_not_undo_the_others(manager, municipality):
    kept = enrolment_due(municipality, "first_contact")
    ended = enrolment_due(municipality, "first_contact", first_name="Flyttad", last_name="Bort")
    batch = letter_batch_create(user=manager, today=TODAY)
    # The young person moved away the day before the print date.
    ended.ended_on = TODAY - datetime.timedelta(days=1)
    ended.end_reason = "moved_away"
    ended.save()
    result = letter_batch_confirm(user=manager, batch=batch)
    assert [e.pk for e in result.logged] == [kept.pk]
    assert [name for name, _reason in result.skipped] == ["Flyttad Bort"]
    assert list(ContactAttempt.objects.values_list("enrolment_id", flat=True)) == [kept.pk]


def test_confirm_is_post_only(manager_client, municipality):
    enrolment_due(municipality, "first_contact")
    manager_client.post(reverse("casework:letters_batch"))
    batch = LetterBatch.objects.get()
    response = manager_client.get(reverse("casework:letters_batch_confirm", args=[batch.pk]))
    assert response.status_code == 405
    assert not ContactAttempt.objects.exists()


def test_the_days_letters_agree_with_the_pure_routine_on_generated_cases(manager, municipality):
    """letters_due reads the stored RoutineState; it must say what routine.evaluate says."""
    rng = random.Random(4)
    cases = []
    for _n in range(80):
        registered_on = TODAY - datetime.timedelta(days=rng.randint(0, 400))
        enrolment = EnrolmentFactory(
            youth=YouthFactory(municipality=municipality), registered_on=registered_on
        )
        attempts = []
        day = registered_on
        for _k in range(rng.choice([0, 0, 1, 2, 3, 4])):
            day = day + datetime.timedelta(days=rng.randint(1, 80))
            if day > TODAY:
                break
            channel = rng.choice(["letter", "phone", "sms", "home_visit"])
            outcome = rng.choice(["not_reached"] * 5 + ["reached", "info_sheet_left"])
            if channel != "home_visit" and outcome == "info_sheet_left":
                outcome = "not_reached"
            contact_attempt_record(
                user=manager,
                enrolment=enrolment,
                date=day,
                channel=channel,
                party="youth",
                outcome=outcome,
            )
            attempts.append(Attempt(date=day, channel=channel, outcome=outcome))
        cases.append((enrolment, attempts))

    expected = {}
    for enrolment, attempts in cases:
        result = evaluate(
            registered_on=enrolment.registered_on,
            ended_on=None,
            attempts=attempts,
            days=RoutineDays(),
            as_of=TODAY,
        )
        step = result.next_step
        if step is not None and step.code in LETTER_FOR_STEP and step.due <= TODAY:
            expected[enrolment.pk] = LETTER_FOR_STEP[step.code]

    actual = {d.enrolment.pk: d.kind for d in letters_due(user=manager, today=TODAY)}
    assert actual == expected
    assert len(set(expected.values())) >= 2  # the generated cases reach several letters
