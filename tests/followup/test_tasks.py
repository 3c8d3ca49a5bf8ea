"""Task options: retries on database errors, the lock, the beat schedule."""

import pytest
from django.db import OperationalError

from followup.services.jobs import job_lock
from followup.tasks import TASKS, overdue_flags_task
from kaa.celery import app
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db


def test_every_job_acknowledges_late_and_retries_database_errors_with_backoff():
    for task in TASKS.values():
        assert task.acks_late is True
        assert OperationalError in task.autoretry_for
        assert task.retry_backoff


def test_a_run_while_another_holds_the_lock_changes_nothing(municipality):
    EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    with job_lock("overdue_flags"):
        result = overdue_flags_task.apply(kwargs={"today": "2026-11-24"}).get()
    assert result == {"job": "overdue_flags", "skipped": "locked"}
    assert overdue_flags_task.apply(kwargs={"today": "2026-11-24"}).get()["opened"] == 1


def test_the_beat_schedule_names_registered_tasks():
    # As a worker does at start: import every app's tasks module.
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    scheduled = {entry["task"] for entry in schedule.values()}
    assert scheduled == {task.name for task in TASKS.values()} | {
        "followup.catch_up_pending",
        "registry.import_batches_purge",
        "casework.letter_print_files_purge",
    }
    assert scheduled <= set(app.tasks)
    assert schedule["digests-weekly"]["schedule"].day_of_week == {1}
    assert schedule["retention-monthly"]["schedule"].day_of_month == {1}
