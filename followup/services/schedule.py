"""The beat schedule run in-process, for the embedded run without a broker or a beat.

``scheduled_jobs_due`` reads the schedule in kaa/celery.py and the JobRun rows
(what ran, and when) and returns the follow-up jobs whose scheduled time has
passed since their last scheduled run; ``python manage.py followup_run
--schedule`` runs them in their schedule order (from cron, or ``--every``
seconds in a loop). A job that has never run counts as having run a day ago,
so a first start does not set off the monthly retention at once.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from ..models import JobRun

NEVER_RUN_LOOKBACK = datetime.timedelta(days=1)


def scheduled_jobs_due(
    *, beat_schedule: dict[str, dict[str, Any]], jobs: dict[str, Any]
) -> list[str]:
    """The job names (keys of ``jobs``) that are due now, in the schedule's order."""
    now = timezone.now()
    by_task_name = {task.name: name for name, task in jobs.items()}
    due = []
    for entry in beat_schedule.values():
        name = by_task_name.get(entry["task"])
        if name is None:  # not a follow-up job (it keeps no JobRun to judge by)
            continue
        last = (
            # A manager's run, a dry run or a failed run is not the scheduled run.
            JobRun.objects.filter(name=name, municipality__isnull=True, finished_at__isnull=False)
            .filter(Q(result__dry_run__isnull=True) | Q(result__dry_run=False))
            .values_list("started_at", flat=True)
            .first()
        )
        is_due, _next = entry["schedule"].is_due(last or now - NEVER_RUN_LOOKBACK)
        if is_due:
            due.append(name)
    return due
