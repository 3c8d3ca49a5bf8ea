"""Asking for a print run's PDF: the job row is written, and the task queued once committed.

Queued with a broker, run in-process without one (``kaa.queue.task_send_or_run``),
so the embedded demo without Redis prints as before. It imports the task; the
task imports ``letter_print`` (the work), never this module (docs/architecture.md).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from kaa.queue import task_send_or_run
from registry.models import User

from ..models import LetterBatch, LetterPrintJob
from ..tasks import letter_print_task
from .letters import letter_batch_create


@transaction.atomic
def letter_print_request(*, user: User, batch: LetterBatch) -> LetterPrintJob:
    """Build (or build again) the batch's PDF in the background; a built one is kept."""
    job, created = LetterPrintJob.objects.select_for_update().get_or_create(
        batch=batch,
        defaults={
            "municipality": batch.municipality,
            "created_by": user,
            "total": len(batch.items),
        },
    )
    if not created:
        if job.status == LetterPrintJob.Status.DONE:
            return job
        # Failed, or stuck with a worker that died: start over.
        if job.pdf:
            job.pdf.delete(save=False)
        job.status = LetterPrintJob.Status.PENDING
        job.done = 0
        job.error = ""
        job.finished_at = None
        job.save(update_fields=["pdf", "status", "done", "error", "finished_at"])
    job_id = job.pk
    transaction.on_commit(lambda: task_send_or_run(letter_print_task, job_id))
    return job


@transaction.atomic
def letter_batch_print(
    *, user: User, today: datetime.date, enrolment_ids: list[int] | None = None
) -> LetterBatch:
    """Record the day's print run (those chosen, if any) and have its PDF built."""
    batch = letter_batch_create(user=user, today=today, enrolment_ids=enrolment_ids)
    letter_print_request(user=user, batch=batch)
    return batch
