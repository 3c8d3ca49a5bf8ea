"""Queueing a follow-up job from a page without ever failing the page.

With a broker the job is queued; when the broker is down it logs, stores a
PendingJob and returns, and the catch-up task queues it once Redis answers;
without a broker (the embedded run, CELERY_TASK_ALWAYS_EAGER) the job runs
in-process. It imports the tasks; the tasks import ``services.jobs`` (the
lock and the record), never this module (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from kaa.queue import task_send
from registry.models import User

from .. import tasks
from ..models import PendingJob


def job_enqueue(
    name: str, *, user: User | None = None, **kwargs: Any
) -> tuple[str, dict[str, Any] | None]:
    """Queue a job from a page. Returns ("ran", result), ("queued", None) or ("pending", None)."""
    task = tasks.TASKS[name]
    if task.app.conf.task_always_eager:
        return "ran", task.apply(kwargs=kwargs).get()
    if not task_send(task, **kwargs):
        # Logged above; the catch-up task queues it once Redis answers.
        PendingJob.objects.create(
            name=name, kwargs=kwargs, requested_by=user, error="broker unavailable"
        )
        return "pending", None
    return "queued", None
