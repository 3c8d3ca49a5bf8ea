"""Celery tasks of the follow-up jobs. Thin: take a date or ids, call one service, say what changed.

Every task acknowledges late (a worker killed mid-run leaves the message for
the next worker; the services are idempotent, so a repeat is harmless),
retries with backoff on database errors, and runs under a lock so two runs of
one job never overlap. The beat schedule is in kaa/celery.py.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from celery import shared_task
from celery.exceptions import MaxRetriesExceededError
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from casework.services.routine_state import routine_state_refresh
from kaa.queue import BROKER_ERRORS
from registry.models import Municipality

from .models import PendingJob
from .services import age_out, digests, flags, reminders, retention
from .services.jobs import job_run, last_finished_run_started

logger = logging.getLogger(__name__)

JOB_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


def refresh_routine_state(*, today: datetime.date, municipality: Municipality | None) -> int:
    """Bring RoutineState up to today before flagging (the routine engine's own refresh).

    Only what can have changed since the last run: active enrolments, those
    without a state, and those touched since (``flags.routine_states_to_refresh``).
    """
    since = last_finished_run_started(
        "overdue_flags", municipality_id=municipality.pk if municipality else None
    )
    return routine_state_refresh(
        municipality=municipality,
        today=today,
        only=flags.routine_states_to_refresh(since=since),
    )


# A run that finds the lock taken waits and tries again (below).
LOCK_RETRY_SECONDS = 60
LOCK_RETRIES = 30


@shared_task(name="followup.overdue_flags", bind=True, **JOB_OPTIONS)
def overdue_flags_task(
    self: Any, today: str | None = None, municipality_id: int | None = None
) -> dict:
    """The nightly run covers every municipality, a manager's run their own.

    Both share one lock, so a run that finds it taken is not dropped (a manager's
    click at night must not cost the other municipalities their flags): in a worker
    it is retried later; in-process (no broker) the page says a run is under way.
    """
    result = _overdue_flags(today=today, municipality_id=municipality_id)
    if result.get("skipped") and not self.request.is_eager:
        try:
            raise self.retry(countdown=LOCK_RETRY_SECONDS, max_retries=LOCK_RETRIES)
        except MaxRetriesExceededError:
            logger.error("job overdue_flags gave up: the lock stayed taken")
    return result


def _overdue_flags(*, today: str | None, municipality_id: int | None) -> dict:
    day = _day(today)
    municipality = Municipality.objects.get(pk=municipality_id) if municipality_id else None

    def work() -> dict[str, Any]:
        refreshed = refresh_routine_state(today=day, municipality=municipality)
        changes = flags.overdue_flags_sync(today=day, municipality=municipality)
        return {
            "today": day.isoformat(),
            "routine_states_refreshed": refreshed,
            **changes.as_dict(),
        }

    return job_run(
        "overdue_flags",
        work,
        covers_pending=municipality is None,
        municipality_id=municipality_id,
    )


@shared_task(name="followup.reminders", **JOB_OPTIONS)
def reminders_task(today: str | None = None) -> dict:
    day = _day(today)
    return job_run(
        "reminders",
        lambda: {"today": day.isoformat(), **reminders.reminders_sync(today=day).as_dict()},
    )


@shared_task(name="followup.age_out", **JOB_OPTIONS)
def age_out_task(today: str | None = None) -> dict:
    day = _day(today)
    return job_run(
        "age_out", lambda: {"today": day.isoformat(), **age_out.enrolments_age_out(today=day)}
    )


@shared_task(name="followup.digests", **JOB_OPTIONS)
def digests_task(today: str | None = None) -> dict:
    day = _day(today)
    return job_run("digests", lambda: {"today": day.isoformat(), **digests.digests_send(today=day)})


@shared_task(name="followup.retention", **JOB_OPTIONS)
def retention_task(today: str | None = None, dry_run: bool = False) -> dict:
    day = _day(today)

    def work() -> dict[str, Any]:
        result = retention.retention_run(today=day, dry_run=dry_run).as_dict()
        result.pop("youth_ids")
        return {"today": day.isoformat(), **result}

    return job_run("retention", work, covers_pending=not dry_run)


TASKS = {
    "overdue_flags": overdue_flags_task,
    "reminders": reminders_task,
    "age_out": age_out_task,
    "digests": digests_task,
    "retention": retention_task,
}


@shared_task(name="followup.catch_up_pending", **JOB_OPTIONS)
def catch_up_pending_task() -> dict:
    """Queue what a page could not queue while the broker was down."""
    dispatched = 0
    for pending in PendingJob.objects.filter(dispatched_at__isnull=True):
        task = TASKS.get(pending.name)
        if task is None:
            continue
        try:
            task.apply_async(kwargs=pending.kwargs)
        except BROKER_ERRORS as error:  # still down: leave it for the next beat
            logger.warning("pending job %s still not queued: %s", pending.name, error)
            break
        pending.dispatched_at = timezone.now()
        pending.save(update_fields=["dispatched_at"])
        dispatched += 1
    return {"job": "catch_up_pending", "dispatched": dispatched}
