"""The demo looks like a working KAA team's register (docs/domain.md, "Demo proportions").

Most active cases are on time, a realistic few are overdue, some declined,
some reached with a mapping and a plan, ended enrolments with the usual end
reasons, the autumn peak of registrations. A second run changes nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from casework.models import ContactAttempt, Mapping, Measure, Plan, RoutineState
from casework.selectors.worklist import worklist_items
from registry.models import Enrolment, Occupation, User, Youth
from tests.conftest import logged_in_client

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)
STUDIES = ("started_upper_secondary", "diploma")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module (it takes a while)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
            call_command("seed_demo", stdout=None)
        yield
        # Rolled back afterwards: the other tests start from an empty database.
        transaction.set_rollback(True)


@pytest.fixture
def today(demo):
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield TODAY


def demo_enrolments():
    return Enrolment.objects.filter(municipality__code="9999")


def test_most_active_cases_are_on_time_and_a_few_are_overdue(today):
    manager = User.objects.get(username="chef")
    active = demo_enrolments().filter(ended_on__isnull=True).count()
    assert 100 <= active <= 600  # a mid-size municipality
    worklist = worklist_items(user=manager, as_of=today)
    overdue = worklist_items(user=manager, as_of=today, overdue_only=True).count()
    assert 1 <= overdue < active / 4
    assert overdue >= active / 20  # a realistic few, not none
    # The worklist also holds steps due within the tolerance: today's work.
    assert worklist.count() > overdue
    days_late = [(today - state.next_due).days for state in worklist]
    assert sorted(days_late)[len(days_late) // 2] < 30  # typically weeks, not a year

    page = logged_in_client(manager).get("/arende/arbetslista/").content.decode()
    assert "Försenat" in page


def test_some_declined_some_reached_with_a_mapping_and_a_plan(today):
    manager = User.objects.get(username="chef")
    active = demo_enrolments().filter(ended_on__isnull=True)
    reached = RoutineState.objects.filter(
        enrolment__in=active, contact_established_on__isnull=False
    )
    assert active.count() / 3 < reached.count() < active.count()
    declined = (
        ContactAttempt.objects.filter(enrolment__in=active, outcome="declined")
        .values_list("enrolment__youth_id", flat=True)
        .distinct()
    )
    assert len(declined) >= 3
    page = logged_in_client(manager).get(f"/ungdomar/{declined[0]}/").content.decode()
    assert "Avböjt" in page
    # Mapped on the day of a conversation, never before contact was made.
    mappings = Mapping.objects.filter(enrolment__in=active).select_related("enrolment")
    assert mappings.count() >= 10
    established = dict(reached.values_list("enrolment_id", "contact_established_on"))
    assert all(established[m.enrolment_id] <= m.date for m in mappings)
    with_plan = Plan.objects.filter(enrolment__in=active).count()
    assert 10 <= with_plan <= mappings.count()
    assert Measure.objects.filter(plan__enrolment__in=active, ended_on__isnull=True).exists()


def test_ended_enrolments_have_the_usual_end_reasons(today):
    ended = demo_enrolments().filter(ended_on__isnull=False)
    reasons = Counter(ended.values_list("end_reason", flat=True))
    assert sum(reasons.values()) >= 40
    assert reasons.most_common(1)[0][0] == "turned_20"
    rest = sum(reasons.values()) - reasons["turned_20"]
    assert 0.35 <= sum(reasons[r] for r in STUDIES) / rest <= 0.65
    years = {day.year for day in ended.values_list("ended_on", flat=True)}
    assert len(years) >= 2  # spread over the last years


def test_people_season_and_occupations_follow_the_national_figures(today):
    youths = Youth.objects.filter(municipality__code="9999")
    assert youths.filter(protected_identity=True).exists()
    # The personnummer's ninth digit is even for women.
    women = sum(
        int(number[10]) % 2 == 0 for number in youths.values_list("personnummer", flat=True)
    )
    assert 0.38 <= women / youths.count() <= 0.52
    # Autumn brings more than twice the first registrations of spring.
    registered = demo_enrolments().values_list("registered_on", flat=True)
    autumn = sum(
        datetime.date(2025, 7, 1) <= day <= datetime.date(2025, 12, 31) for day in registered
    )
    spring = sum(
        datetime.date(2026, 1, 1) <= day <= datetime.date(2026, 6, 30) for day in registered
    )
    assert autumn > 2 * spring > 0
    # Of the known occupations, work is the most common.
    kinds = Counter(
        Occupation.objects.filter(enrolment__in=demo_enrolments())
        .exclude(kind="unknown")
        .values_list("kind", flat=True)
    )
    assert kinds.most_common(1)[0][0] == "work"


def test_a_second_run_changes_nothing(today):
    def counts():
        return (
            Youth.objects.count(),
            Enrolment.objects.count(),
            ContactAttempt.objects.count(),
            Mapping.objects.count(),
            Measure.objects.count(),
            RoutineState.objects.filter(overdue_after__lt=TODAY).count(),
        )

    before = counts()
    call_command("seed_demo", stdout=None)
    assert counts() == before
