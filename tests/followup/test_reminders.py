"""Reminders when a measure's follow-up or evaluation date passed without an entry."""

import datetime

import pytest

from casework.models import Measure
from followup.models import Reminder
from followup.services.reminders import reminders_sync

from .factories import MeasureFactory

pytestmark = pytest.mark.django_db

FOLLOW_UP_DAY = datetime.date(2026, 10, 15)


def open_reminders():
    return set(
        Reminder.objects.filter(resolved_on__isnull=True).values_list("measure_id", "kind", "due")
    )


def test_no_reminder_on_the_day_itself_one_the_day_after(municipality):
    measure = MeasureFactory(plan__enrolment__youth__municipality=municipality)
    assert reminders_sync(today=FOLLOW_UP_DAY).opened == 0
    changes = reminders_sync(today=FOLLOW_UP_DAY + datetime.timedelta(days=1))
    assert changes.opened == 1
    assert open_reminders() == {(measure.pk, "follow_up", FOLLOW_UP_DAY)}


def test_follow_up_and_evaluation_both_remind_and_a_second_run_changes_nothing(municipality):
    measure = MeasureFactory(plan__enrolment__youth__municipality=municipality)
    today = datetime.date(2027, 1, 10)
    assert reminders_sync(today=today).opened == 2
    assert reminders_sync(today=today).as_dict() == {"opened": 0, "resolved": 0}
    assert open_reminders() == {
        (measure.pk, "follow_up", FOLLOW_UP_DAY),
        (measure.pk, "evaluation", datetime.date(2026, 12, 20)),
    }


def test_resolved_when_the_entry_is_written(municipality):
    measure = MeasureFactory(plan__enrolment__youth__municipality=municipality)
    today = datetime.date(2027, 1, 10)
    reminders_sync(today=today)
    Measure.objects.filter(pk=measure.pk).update(followed_up_at=datetime.date(2027, 1, 9))
    assert reminders_sync(today=today).as_dict() == {"opened": 0, "resolved": 1}
    Measure.objects.filter(pk=measure.pk).update(evaluation="Ungdomen har börjat på kursen.")
    assert reminders_sync(today=today).as_dict() == {"opened": 0, "resolved": 1}
    assert open_reminders() == set()
    assert Reminder.objects.filter(resolved_on=today).count() == 2


def test_a_moved_date_closes_the_old_reminder_and_reminds_of_the_new_one_when_it_passes(
    municipality,
):
    measure = MeasureFactory(plan__enrolment__youth__municipality=municipality)
    reminders_sync(today=datetime.date(2026, 10, 20))
    Measure.objects.filter(pk=measure.pk).update(follow_up_on=datetime.date(2026, 11, 1))
    assert reminders_sync(today=datetime.date(2026, 10, 21)).as_dict() == {
        "opened": 0,
        "resolved": 1,
    }
    assert reminders_sync(today=datetime.date(2026, 11, 2)).opened == 1


def test_no_reminders_for_ended_enrolments_or_for_follow_up_of_an_ended_measure(municipality):
    ended = MeasureFactory(
        plan__enrolment__youth__municipality=municipality,
        plan__enrolment__ended_on=datetime.date(2026, 10, 1),
        plan__enrolment__end_reason="started_upper_secondary",
    )
    stopped = MeasureFactory(
        plan__enrolment__youth__municipality=municipality,
        ended_on=datetime.date(2026, 10, 1),
        end_reason="Ungdomen började arbeta",
    )
    reminders_sync(today=datetime.date(2027, 1, 10))
    # An ended measure still needs its evaluation (docs/domain.md, "Which items are missing", item 7), not its follow-up.
    assert open_reminders() == {(stopped.pk, "evaluation", datetime.date(2026, 12, 20))}
    assert not Reminder.objects.filter(measure=ended).exists()


@pytest.mark.parametrize("count", [2, 20])
def test_a_run_takes_the_same_few_queries(municipality, count, django_assert_max_num_queries):
    for _ in range(count):
        MeasureFactory(plan__enrolment__youth__municipality=municipality)
    with django_assert_max_num_queries(5):
        assert reminders_sync(today=datetime.date(2027, 1, 10)).opened == 2 * count
