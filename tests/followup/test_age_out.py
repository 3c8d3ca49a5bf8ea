"""Age-out on the 20th birthday with reason turned_20, and the 30-day warning."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from followup.selectors import ageing_out
from followup.services.age_out import enrolments_age_out
from followup.tasks import age_out_task
from registry.models import Enrolment, Role
from registry.system import SYSTEM_USERNAME
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

BIRTH_DATE = datetime.date(2006, 11, 25)
BIRTHDAY = datetime.date(2026, 11, 25)


@pytest.fixture
def enrolment(municipality, coordinator):
    youth = YouthFactory(municipality=municipality, birth_date=BIRTH_DATE)
    return EnrolmentFactory(
        youth=youth, registered_on=datetime.date(2025, 9, 1), coordinator=coordinator
    )


def test_the_day_before_the_birthday_nothing_ends(enrolment):
    with time_machine.travel(
        datetime.datetime(2026, 11, 24, 23, 30, tzinfo=timezone.get_current_timezone())
    ):
        result = age_out_task()
    assert result["ended"] == 0
    enrolment.refresh_from_db()
    assert enrolment.is_active


def test_on_the_birthday_the_enrolment_ends_with_turned_20(enrolment):
    with time_machine.travel(
        datetime.datetime(2026, 11, 25, 1, 30, tzinfo=timezone.get_current_timezone())
    ):
        result = age_out_task()
    assert result["ended"] == 1
    enrolment.refresh_from_db()
    assert enrolment.ended_on == BIRTHDAY
    assert enrolment.end_reason == "turned_20"
    # The change that ended it (by the history row's content, not its time: the
    # clock is travelled, the fixture was created at the real time).
    ending = enrolment.history.get(ended_on=BIRTHDAY)
    assert ending.history_user.username == SYSTEM_USERNAME
    # A second run finds nothing more to end.
    assert enrolments_age_out(today=BIRTHDAY)["ended"] == 0


def test_a_late_run_still_ends_on_the_birthday(enrolment):
    enrolments_age_out(today=BIRTHDAY + datetime.timedelta(days=4))
    enrolment.refresh_from_db()
    assert enrolment.ended_on == BIRTHDAY


def test_a_record_the_rules_refuse_does_not_stop_the_others(enrolment, municipality):
    # Registered after the 20th birthday: ending it on the birthday is refused.
    wrong = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, birth_date=datetime.date(2006, 10, 1)),
        registered_on=datetime.date(2026, 10, 15),
    )
    result = enrolments_age_out(today=BIRTHDAY)
    assert result == {"ended": 1, "refused": [wrong.pk]}
    enrolment.refresh_from_db()
    assert enrolment.end_reason == "turned_20"
    wrong.refresh_from_db()
    assert wrong.is_active


def test_the_worklist_warns_30_days_ahead(enrolment, coordinator, other_coordinator, manager):
    younger = EnrolmentFactory(
        youth=YouthFactory(
            municipality=enrolment.municipality, birth_date=datetime.date(2007, 3, 1)
        ),
        coordinator=coordinator,
    )
    assert [item.enrolment for item in ageing_out(coordinator, datetime.date(2026, 10, 25))] == []
    warned = ageing_out(coordinator, datetime.date(2026, 10, 26))
    assert [(item.enrolment, item.turns_20_on) for item in warned] == [(enrolment, BIRTHDAY)]
    assert younger not in [item.enrolment for item in warned]
    # Managers see all of the municipality; another coordinator does not see this one.
    assert len(ageing_out(manager, datetime.date(2026, 11, 1))) == 1
    assert ageing_out(other_coordinator, datetime.date(2026, 11, 1)) == []
    outsider = UserFactory(role=Role.MANAGER, municipality__code="0990")
    assert ageing_out(outsider, datetime.date(2026, 11, 1)) == []
    assert Enrolment.objects.active().count() == 2


@pytest.mark.parametrize(
    ("birth_date", "registered_on", "birthday"),
    [
        # 20 years after a leap day is a leap day: 29 February, not 28 February or 1 March.
        (datetime.date(2008, 2, 29), datetime.date(2025, 9, 1), datetime.date(2028, 2, 29)),
        # 2100 is a common year: a 29 February 2080 birth turns 20 on 1 March 2100.
        (datetime.date(2080, 2, 29), datetime.date(2098, 9, 1), datetime.date(2100, 3, 1)),
    ],
)
def test_a_leap_day_birth_ages_out_on_the_birthday_and_not_the_day_before(
    municipality, birth_date, registered_on, birthday
):
    youth = YouthFactory(municipality=municipality, birth_date=birth_date)
    enrolment = EnrolmentFactory(youth=youth, registered_on=registered_on)
    assert enrolments_age_out(today=birthday - datetime.timedelta(days=1))["ended"] == 0
    enrolment.refresh_from_db()
    assert enrolment.is_active
    assert enrolments_age_out(today=birthday)["ended"] == 1
    enrolment.refresh_from_db()
    assert (enrolment.ended_on, enrolment.end_reason) == (birthday, "turned_20")
