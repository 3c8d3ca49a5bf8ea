"""Two attempts logged for one enrolment at the same moment: the stored next step counts both."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from casework.models import RoutineState
from casework.services.contacts import contact_attempt_record
from tests.factories import EnrolmentFactory, YouthFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_attempts_both_reach_the_stored_state(
    municipality, coordinator, other_coordinator
):
    today = timezone.localdate()
    enrolment = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=today - datetime.timedelta(days=40),
    )
    first_day = today - datetime.timedelta(days=35)
    errors: list[BaseException] = []

    def second_attempt() -> None:
        try:
            contact_attempt_record(
                user=other_coordinator,
                enrolment=enrolment,
                date=today,
                channel="phone",
                party="youth",
                outcome="not_reached",
            )
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        contact_attempt_record(
            user=coordinator,
            enrolment=enrolment,
            date=first_day,
            channel="letter",
            party="youth",
            outcome="not_reached",
        )
        other = threading.Thread(target=second_attempt)
        other.start()
        time.sleep(0.5)
        assert other.is_alive()  # waits for the first write instead of computing without it
    other.join(timeout=10)

    assert errors == []
    state = RoutineState.objects.get(enrolment=enrolment)
    # Both attempts counted: the ladder is at the home visit, first attempt + 60.
    assert (state.next_step, state.next_due) == (
        "home_visit",
        first_day + datetime.timedelta(days=60),
    )
