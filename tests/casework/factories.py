"""Factories of the casework app's tests. All data is synthetic."""

from __future__ import annotations

import datetime

import factory

from casework.models import ContactAttempt
from tests.factories import EnrolmentFactory


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    enrolment = factory.SubFactory(EnrolmentFactory)
    date = factory.LazyAttribute(lambda o: o.enrolment.registered_on + datetime.timedelta(days=3))
    channel = "letter"
    party = "youth"
    outcome = "not_reached"
