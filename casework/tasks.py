"""Celery tasks of the casework app: thin, idempotent, taking ids."""

from __future__ import annotations

from celery import shared_task

from .services.letter_print import letter_print_build, letter_print_files_purge


@shared_task(acks_late=True)
def letter_print_task(job_id: int) -> str:
    """Build a print run's PDF; a job already built (or under way) is left as it is."""
    return letter_print_build(job_id=job_id)


@shared_task(name="casework.letter_print_files_purge")
def letter_print_files_purge_task() -> int:
    """Nightly: remove print runs' PDFs past their keeping time (they hold addresses)."""
    return letter_print_files_purge()
