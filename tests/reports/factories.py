"""Small builders for the reports tests. All data is synthetic."""

from __future__ import annotations

import datetime

from casework.models import Channel, ContactAttempt, Outcome, RoutineState
from casework.services.routine_state import routine_state_refresh
from registry.models import Enrolment, Municipality, Occupation, User
from tests.factories import EnrolmentFactory, YouthFactory


def enrolment(
    municipality: Municipality,
    registered_on: datetime.date,
    *,
    source: str = "dropout_national_programme",
    coordinator: User | None = None,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
    **youth_fields,
) -> Enrolment:
    youth = YouthFactory(municipality=municipality, **youth_fields)
    return EnrolmentFactory(
        youth=youth,
        registered_on=registered_on,
        source=source,
        coordinator=coordinator,
        ended_on=ended_on,
        end_reason=end_reason,
    )


def attempt(
    enrolment: Enrolment,
    date: datetime.date,
    outcome: str = Outcome.NOT_REACHED,
    channel: str = Channel.LETTER,
) -> ContactAttempt:
    created = ContactAttempt.objects.create(
        enrolment=enrolment, date=date, channel=channel, outcome=outcome
    )
    # As the contact service does: the stored routine state follows the attempts.
    routine_state_refresh(enrolment_ids=[enrolment.pk])
    return created


def occupation(enrolment: Enrolment, from_date: datetime.date, kind: str) -> Occupation:
    return Occupation.objects.create(enrolment=enrolment, from_date=from_date, kind=kind)


def routine_state(enrolment: Enrolment, **fields) -> RoutineState:
    state, _created = RoutineState.objects.update_or_create(enrolment=enrolment, defaults=fields)
    return state
