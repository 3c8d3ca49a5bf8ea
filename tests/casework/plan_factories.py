"""Factories for mappings, plans, measures and actors (synthetic data)."""

from __future__ import annotations

import datetime

import factory

from casework.models import Actor, Mapping, Measure, MeasureType, Plan, Responsible
from tests.factories import EnrolmentFactory


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ("municipality", "name")

    name = factory.Sequence(lambda n: f"Aktör {n}")


class MappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mapping

    enrolment = factory.SubFactory(EnrolmentFactory)
    date = datetime.date(2026, 9, 20)
    situation = "Bor hemma, ingen sysselsättning."
    interests = "Musik och bilar."
    needs = "Stöd att komma igång på morgonen."
    obstacles = "Oro inför nya sammanhang."
    own_goal = "Få ett jobb på en verkstad."


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    enrolment = factory.SubFactory(EnrolmentFactory)
    goal = "Börja på Komvux till våren."
    planning = "Samtal varannan vecka och studiebesök på Komvux."


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    type = MeasureType.GUIDANCE
    description = "Studie- och yrkesvägledning inför Komvux."
    responsible = Responsible.MUNICIPALITY
    starts_on = datetime.date(2026, 10, 1)
    ends_on = datetime.date(2027, 1, 31)
    follow_up_on = datetime.date(2026, 11, 15)
    evaluate_on = datetime.date(2027, 1, 31)
