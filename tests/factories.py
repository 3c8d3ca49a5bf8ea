"""Factories shared by every app's tests. All data is synthetic."""

from __future__ import annotations

import datetime

import factory

from registry.models import Enrolment, Municipality, Role, Source, User, Youth
from registry.personnummer import synthetic


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n % 999:04d}")
    name = factory.Sequence(lambda n: f"Testkommun {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare{n}")
    role = Role.COORDINATOR
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.django.Password("test-password-123")


class YouthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Youth

    municipality = factory.SubFactory(MunicipalityFactory)
    # Sequence n picks a test birth number (980-999) and shifts the birth day
    # so that numbers stay unique beyond twenty young people.
    birth_date = factory.Sequence(
        lambda n: datetime.date(2008, 5, 17) + datetime.timedelta(days=n // 20)
    )
    personnummer = factory.LazyAttributeSequence(lambda o, n: synthetic(o.birth_date, n))
    first_name = factory.Sequence(lambda n: f"Testa{n}")
    last_name = factory.Sequence(lambda n: f"Testsson{n}")
    street = "Provgatan 1"
    postal_code = "999 99"
    city = "Demostad"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    youth = factory.SubFactory(YouthFactory)
    municipality = factory.LazyAttribute(lambda o: o.youth.municipality)
    registered_on = datetime.date(2026, 9, 1)
    source = Source.DROPOUT_NATIONAL_PROGRAMME
