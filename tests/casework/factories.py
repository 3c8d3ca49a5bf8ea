"""Factories of the casework app's tests. All data is synthetic."""

from __future__ import annotations

import datetime

import factory

from casework.models import ContactAttempt
from tests.factories import EnrolmentFactory, YouthFactory


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    enrolment = factory.SubFactory(EnrolmentFactory)
    date = factory.LazyAttribute(lambda o: o.enrolment.registered_on + datetime.timedelta(days=3))
    channel = "letter"
    party = "youth"
    outcome = "not_reached"


def youth_enrolment(municipality, coordinator=None, *, registered_on=None, **youth_fields):
    """An enrolment of a new youth in `municipality`; only the given fields are set."""
    enrolment_fields = {}
    if coordinator is not None:
        enrolment_fields["coordinator"] = coordinator
    if registered_on is not None:
        enrolment_fields["registered_on"] = registered_on
    return EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, **youth_fields), **enrolment_fields
    )
