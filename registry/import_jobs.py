"""The import's background work: checking the rows of a big file, and how far the work has come.

``registry.tasks.import_batch_validate_task`` calls ``import_batch_validate_job``
in a worker (or in-process when no broker answers: ``kaa.queue.task_send_or_run``).
Each chunk of rows is its own transaction, so ``ImportBatch.validated_rows`` of
``total_rows`` is the progress the page polls. Writing a confirmed file is one
transaction (a failure writes nothing), so its count of rows written is kept in
the cache while it runs (``importing.commit_progress_key``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import importing
from .models import ImportBatch, ImportRow

logger = logging.getLogger(__name__)


def import_batch_validate_job(*, batch_id: int) -> str:
    """Check every row of an uploaded file, a chunk at a time (idempotent: a checked file is left)."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.VALIDATING:
        return "not validating"
    try:
        batch = importing.import_batch_validate_all(batch=batch)
    except Exception:
        logger.exception("Checking import batch %s failed", batch_id)
        updated = ImportBatch.objects.filter(
            pk=batch_id, status=ImportBatch.Status.VALIDATING
        ).update(
            status=ImportBatch.Status.FAILED,
            error_message=_(
                "Granskningen av filen avbröts av ett fel. Ingenting skrevs in. "
                "Ladda upp filen igen; händer det igen, kontakta supporten."
            ),
            finished_at=timezone.now(),
        )
        if updated:
            # The staged copy holds personal data: it goes with the failed preview.
            ImportRow.objects.filter(batch_id=batch_id).delete()
        return "failed"
    return str(batch.status)


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def import_progress(batch: ImportBatch) -> ImportProgress:
    """How far the check or the writing has come, as "x av y"."""
    if batch.status == ImportBatch.Status.COMMITTING:
        # A new young person is one write, and every row is an enrolment: as _write_rows counts.
        counts = batch.rows.aggregate(
            rows=Count("pk", filter=~Q(action=ImportRow.Action.NONE)),
            new=Count("pk", filter=Q(action=ImportRow.Action.CREATE)),
        )
        written = cache.get(importing.commit_progress_key(batch.pk), 0)
        return ImportProgress(done=written, total=counts["rows"] + counts["new"])
    return ImportProgress(done=batch.validated_rows, total=batch.total_rows)
