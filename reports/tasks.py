"""Celery tasks of the reports app: thin, idempotent."""

from __future__ import annotations

from celery import shared_task

from .board_report_build import board_report_build


@shared_task(acks_late=True)
def board_report_generate(report_id: int) -> str:
    """Build a requested board report's PDF; a report already built is left as it is."""
    return board_report_build(report_id=report_id)
