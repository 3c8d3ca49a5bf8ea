"""Factories for the follow-up tests. All data is synthetic."""

from __future__ import annotations

import datetime

import factory

from casework.models import RoutineState
from tests.casework import plan_factories
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


class PlanFactory(plan_factories.PlanFactory):
    goal = "Börja på folkhögskola"
    planning = "Studiebesök och samtal"


class MeasureFactory(plan_factories.MeasureFactory):
    """The casework measure with the follow-up tests' own dates and no description."""

    plan = factory.SubFactory(PlanFactory)
    description = ""
    starts_on = datetime.date(2026, 9, 15)
    ends_on = datetime.date(2026, 12, 15)
    follow_up_on = datetime.date(2026, 10, 15)
    evaluate_on = datetime.date(2026, 12, 20)
