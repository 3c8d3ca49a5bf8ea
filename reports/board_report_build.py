"""Building a requested board report's PDF: the write that runs in a worker.

Called by ``reports.tasks.board_report_generate`` (or in-process when no broker
answers). It sits below both ``reports.services`` (which queues the task) and
``reports.tasks``, so neither imports the other both ways (docs/architecture.md).
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from .key_figures import Period
from .models import BoardReport
from .pdf import render_board_report_pdf
from .selectors.board import board_report_content

logger = logging.getLogger(__name__)


def _progress(report_id: int, progress: int, **fields: object) -> None:
    BoardReport.objects.filter(pk=report_id).update(progress=progress, **fields)


def board_report_build(*, report_id: int, today: datetime.date | None = None) -> str:
    """Build the PDF of a requested report, recording progress as it goes (idempotent).

    Not one transaction: each progress step is committed so the page polling
    the report's status sees it.
    """
    report = BoardReport.objects.select_related("created_by__municipality").get(pk=report_id)
    if report.status == BoardReport.Status.DONE:
        return "already built"
    user = report.created_by
    if user is None:
        _progress(report_id, 0, status=BoardReport.Status.FAILED, error="Användaren finns inte.")
        return "failed"
    try:
        _progress(report_id, 10, status=BoardReport.Status.RUNNING)
        content = board_report_content(
            user,
            Period(report.period_from, report.period_to),
            today=today or timezone.localdate(),
        )
        _progress(report_id, 60)
        pdf = render_board_report_pdf(content)
        _progress(
            report_id,
            100,
            status=BoardReport.Status.DONE,
            pdf=pdf,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Board report %s failed", report_id)
        _progress(report_id, 0, status=BoardReport.Status.FAILED, error=str(error)[:1000])
        return "failed"
    return "built"
