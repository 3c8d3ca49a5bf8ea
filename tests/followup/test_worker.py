"""The jobs end to end through a real Celery worker on the local Redis."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from django.db import OperationalError

from casework.models import Channel, ContactAttempt, Outcome
from followup import tasks
from followup.models import JobRun, OverdueFlag, PendingJob
from followup.services import flags
from followup.services.enqueue import job_enqueue
from followup.services.jobs import job_lock
from followup.tasks import catch_up_pending_task, overdue_flags_task
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

TODAY = "2026-11-24"
RESULT_TIMEOUT = 30


def overdue_enrolments(municipality, count):
    """Registered 2026-09-01 with no attempt: the first contact is long overdue on TODAY.

    The job refreshes RoutineState from the attempts itself (casework's routine engine).
    """
    for _ in range(count):
        EnrolmentFactory(youth=YouthFactory(municipality=municipality))


def test_the_flag_job_runs_in_the_worker_and_a_second_run_changes_nothing(
    municipality, celery_redis_worker
):
    overdue_enrolments(municipality, 4)
    reached = EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    # Contact was established last week: the next step (offer a conversation) is not late.
    ContactAttempt.objects.create(
        enrolment=reached,
        date=datetime.date(2026, 11, 20),
        channel=Channel.PHONE,
        outcome=Outcome.REACHED,
    )

    sent = overdue_flags_task.delay(today=TODAY)
    # Sent through Redis to the worker thread, not run here (the test settings run eagerly).
    assert not isinstance(sent, EagerResult)
    first = sent.get(timeout=RESULT_TIMEOUT)
    assert overdue_flags_task.AsyncResult(sent.id).state == "SUCCESS"  # stored in Redis
    second = overdue_flags_task.delay(today=TODAY).get(timeout=RESULT_TIMEOUT)

    assert (first["opened"], first["resolved"]) == (4, 0)
    assert (second["opened"], second["resolved"]) == (0, 0)
    assert OverdueFlag.objects.filter(resolved_on__isnull=True).count() == 4
    assert not OverdueFlag.objects.filter(enrolment=reached).exists()
    assert first["routine_states_refreshed"] == 5
    runs = JobRun.objects.filter(name="overdue_flags").order_by("started_at")
    assert [run.result["opened"] for run in runs] == [4, 0]
    assert all(run.finished_at for run in runs)


def test_a_run_that_finds_the_lock_taken_waits_for_it_and_then_runs(
    municipality, celery_redis_worker, monkeypatch
):
    overdue_enrolments(municipality, 2)
    monkeypatch.setattr(tasks, "LOCK_RETRY_SECONDS", 1)
    with job_lock("overdue_flags"):  # a run under way elsewhere
        pending = overdue_flags_task.delay(today=TODAY)
        time.sleep(2.5)  # the worker has tried at least once and found the lock taken
        assert not pending.ready()
        assert not OverdueFlag.objects.exists()
    # Once the lock is free the retried run does the work: nothing is dropped.
    result = pending.get(timeout=RESULT_TIMEOUT)
    assert result["opened"] == 2
    assert JobRun.objects.filter(name="overdue_flags").count() == 1


def test_when_the_broker_is_down_the_request_waits_and_the_catch_up_runs_it(
    municipality, manager, broker_app
):
    overdue_enrolments(municipality, 3)
    real_broker = broker_app.conf.broker_url
    broker_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        outcome, result = job_enqueue(
            "overdue_flags", user=manager, today=TODAY, municipality_id=municipality.pk
        )
    finally:
        broker_app.conf.broker_url = real_broker
    assert (outcome, result) == ("pending", None)
    pending = PendingJob.objects.get()
    assert pending.requested_by == manager
    assert pending.error
    assert not OverdueFlag.objects.exists()

    # Redis answers again: the next beat's catch-up queues the request and the worker runs it.
    broker_app.control.purge()
    with start_worker(broker_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        assert catch_up_pending_task.delay().get(timeout=RESULT_TIMEOUT)["dispatched"] == 1
        deadline = time.monotonic() + RESULT_TIMEOUT
        while OverdueFlag.objects.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert OverdueFlag.objects.count() == 3
    pending.refresh_from_db()
    assert pending.dispatched_at is not None
    assert datetime.date.fromisoformat(TODAY) == OverdueFlag.objects.first().opened_on


def test_a_database_error_is_retried_with_backoff_and_the_run_then_completes(
    municipality, monkeypatch, celery_redis_worker
):
    overdue_enrolments(municipality, 1)
    real_sync = flags.overdue_flags_sync
    calls = []

    def flaky_sync(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_sync(**kwargs)

    monkeypatch.setattr(flags, "overdue_flags_sync", flaky_sync)
    result = overdue_flags_task.delay(today=TODAY).get(timeout=RESULT_TIMEOUT)
    assert len(calls) == 2
    assert result["opened"] == 1
    failed, succeeded = JobRun.objects.filter(name="overdue_flags").order_by("started_at")
    assert failed.result["error"].startswith("OperationalError")
    assert failed.finished_at is None
    assert succeeded.result["opened"] == 1
