"""Two people saving the same plan at the same moment: the second waits, then gets StaleVersion."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from casework.models import Plan
from casework.services.plans import StaleVersion, plan_save
from tests.factories import EnrolmentFactory, YouthFactory

from .plan_factories import PlanFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_version_cannot_both_win(
    municipality, coordinator, other_coordinator
):
    enrolment = EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    PlanFactory(enrolment=enrolment, goal="Start")
    outcome: dict[str, object] = {}

    def second_save() -> None:
        try:
            plan_save(
                user=other_coordinator, enrolment=enrolment, version=1, goal="B", planning="B"
            )
            outcome["result"] = "saved"
        except StaleVersion as error:
            outcome["result"] = error.current_values["goal"]
        finally:
            connection.close()

    with transaction.atomic():
        plan_save(user=coordinator, enrolment=enrolment, version=1, goal="A", planning="A")
        other = threading.Thread(target=second_save)
        other.start()
        time.sleep(0.5)
        assert other.is_alive()  # waiting for the first save's lock, not reading version 1
    other.join(timeout=10)

    assert outcome["result"] == "A"
    plan = Plan.objects.get(enrolment=enrolment)
    assert (plan.goal, plan.version) == ("A", 2)
