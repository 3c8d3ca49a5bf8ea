"""Running the follow-up jobs: one at a time per job, and recorded.

``job_lock`` keeps two runs of one job from overlapping (commcare-hq's
serial_task): an atomic ``cache.add`` (SET NX on Redis; process-local in the
embedded demo, which has one process) with a timeout so a killed worker's
lock expires. Queueing a job from a page is ``followup.services.enqueue``
(it imports the tasks, which import this module).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from ..models import JobRun, PendingJob

logger = logging.getLogger(__name__)

# A lock outlives a normal run by far and a killed worker by little.
LOCK_TIMEOUT_SECONDS = 60 * 60


class JobLocked(Exception):
    """Another run of this job holds the lock."""


def lock_key(name: str) -> str:
    return f"followup:lock:{name}"


@contextmanager
def job_lock(name: str, *, timeout: int = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    token = uuid.uuid4().hex
    if not cache.add(lock_key(name), token, timeout):
        raise JobLocked(name)
    try:
        yield
    finally:
        # Release only our own lock: after a timeout another run may hold it.
        if cache.get(lock_key(name)) == token:
            cache.delete(lock_key(name))


def job_run(
    name: str,
    work: Callable[[], dict[str, Any]],
    *,
    covers_pending: bool = True,
    municipality_id: int | None = None,
) -> dict[str, Any]:
    """Run ``work`` under the job's lock and record what it changed; skip if a run is under way.

    A full run (``covers_pending``) also does what a pending request of this job asked for.
    """
    try:
        with job_lock(name):
            run = JobRun.objects.create(name=name, municipality_id=municipality_id)
            try:
                result = work()
            except Exception as error:
                # Recorded for the manager's page; the task's retry policy decides what next.
                run.result = {"error": f"{type(error).__name__}: {error}"}
                run.save(update_fields=["result"])
                raise
            run.finished_at = timezone.now()
            run.result = result
            run.save(update_fields=["finished_at", "result"])
    except JobLocked:
        logger.info("job %s skipped: another run holds the lock", name)
        return {"job": name, "skipped": "locked"}
    if covers_pending:
        PendingJob.objects.filter(name=name, dispatched_at__isnull=True).update(
            dispatched_at=timezone.now()
        )
    return {"job": name, **result}


def last_finished_run_started(name: str, *, municipality_id: int | None) -> datetime | None:
    """When the last finished, successful run of ``name`` that covered this scope started.

    A run for all municipalities covers every municipality; a manager's run only
    their own. None when there has been no such run (the first run).
    """
    runs = JobRun.objects.filter(name=name, finished_at__isnull=False).exclude(
        result__has_key="error"
    )
    scope = Q(municipality__isnull=True)
    if municipality_id is not None:
        scope |= Q(municipality_id=municipality_id)
    return runs.filter(scope).order_by("-started_at").values_list("started_at", flat=True).first()
