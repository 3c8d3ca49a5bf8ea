"""Celery tasks of the registry: thin, idempotent, one service each."""

from __future__ import annotations

from celery import shared_task

from .import_jobs import import_batch_validate_job
from .importing import import_batch_commit, import_batches_purge


@shared_task
def import_batch_commit_task(batch_id: int) -> str:
    """Write a confirmed import. Running it twice does no harm (the batch's status guards it)."""
    return import_batch_commit(batch_id=batch_id).status


@shared_task(name="registry.import_batches_purge")
def import_batches_purge_task() -> int:
    """Nightly: cancel import previews left unconfirmed for a week (their rows hold personal data)."""
    return import_batches_purge()


@shared_task(acks_late=True)
def import_batch_validate_task(batch_id: int) -> str:
    """Check an uploaded file's rows, recording progress on the batch (a checked file is left)."""
    return import_batch_validate_job(batch_id=batch_id)
