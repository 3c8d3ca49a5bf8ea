"""Factories for the follow-up tests. All data is synthetic."""

from __future__ import annotations

import datetime

import factory

from casework.models import Measure, MeasureType, Plan, Responsible, RoutineState
from tests.factories import EnrolmentFactory


class RoutineStateFactory(factory.django.DjangoModelFactory):
    """A stored routine state as the routine engine writes it (here written directly)."""

    class Meta:
        model = RoutineState

    enrolment = factory.SubFactory(EnrolmentFactory)
    next_step = "first_contact"
    next_due = datetime.date(2026, 9, 8)
    overdue_after = factory.LazyAttribute(
        lambda o: o.next_due + datetime.timedelta(days=7) if o.next_due else None
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Saving the enrolment already stored its state (casework's signal): overwrite it.
        enrolment = kwargs.pop("enrolment")
        state, _created = model_class.objects.update_or_create(enrolment=enrolment, defaults=kwargs)
        return state


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    enrolment = factory.SubFactory(EnrolmentFactory)
    goal = "Börja på folkhögskola"
    planning = "Studiebesök och samtal"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    type = MeasureType.GUIDANCE
    responsible = Responsible.MUNICIPALITY
    starts_on = datetime.date(2026, 9, 15)
    ends_on = datetime.date(2026, 12, 15)
    follow_up_on = datetime.date(2026, 10, 15)
    evaluate_on = datetime.date(2026, 12, 20)
