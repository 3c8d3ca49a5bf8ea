"""Building a print run's PDF in the background, and handing the stored file to its creator.

``casework.tasks.letter_print_task`` calls ``letter_print_build`` in a worker (or
in-process when no broker answers); ``services/letter_jobs.py`` queues it. This
module sits below both, so neither imports the other (docs/architecture.md,
"Inside an app"). Nothing is logged as a contact attempt here: only the user's
confirmation does that (docs/domain.md, "Contact attempts").
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Municipality, User

from .. import letters
from ..models import Letterhead, LetterPrintJob
from .letters import batch_enrolments, letter_batch_letters, letterhead_for, log_print

logger = logging.getLogger(__name__)

# A kept PDF holds names and addresses: removed this many days after it was built.
KEEP_DAYS = 7

# The progress is written at most this many times, however many letters: the
# job's queries do not grow with the batch.
PROGRESS_STEPS = 10


def _update(job_id: int, **fields: object) -> None:
    LetterPrintJob.objects.filter(pk=job_id).update(**fields)


def letters_pdf_in_steps(
    *,
    rendered: list[letters.RenderedLetter],
    letterhead: Letterhead,
    municipality: Municipality,
    on_progress: Callable[[int], None],
) -> bytes:
    """The letters laid out a slice at a time (reporting how many are done), then one PDF."""
    from weasyprint import HTML  # imported here: loading WeasyPrint is slow

    size = max(1, -(-len(rendered) // PROGRESS_STEPS))
    documents = []
    for start in range(0, len(rendered), size):
        html = render_to_string(
            "casework/letters/pdf.html",
            {
                "letters": rendered[start : start + size],
                "letterhead": letterhead,
                "municipality": municipality,
            },
        )
        documents.append(HTML(string=html).render())
        on_progress(min(start + size, len(rendered)))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def letter_print_build(*, job_id: int) -> str:
    """Build a requested print run's PDF, recording progress as it goes (idempotent).

    Not one transaction: each progress step is committed so the page polling the
    job sees it. The letters are those the creator may print at build time.
    """
    claimed = LetterPrintJob.objects.filter(pk=job_id, status=LetterPrintJob.Status.PENDING).update(
        status=LetterPrintJob.Status.RUNNING, done=0, error=""
    )
    if not claimed:
        return "not pending"  # built already, or another run has it
    job = LetterPrintJob.objects.select_related("batch__municipality", "created_by").get(pk=job_id)
    batch = job.batch
    try:
        rendered, youth_ids = letter_batch_letters(user=job.created_by, batch=batch)
        _update(job_id, total=len(rendered))
        pdf = letters_pdf_in_steps(
            rendered=rendered,
            letterhead=letterhead_for(batch.municipality),
            municipality=batch.municipality,
            on_progress=lambda done: _update(job_id, done=done),
        )
        job.pdf.save(
            f"brev-{batch.printed_on.isoformat()}-{batch.pk}.pdf", ContentFile(pdf), save=False
        )
        _update(
            job_id,
            status=LetterPrintJob.Status.DONE,
            pdf=job.pdf.name,
            youth_ids=youth_ids,
            done=len(rendered),
            finished_at=timezone.now(),
        )
    except ValidationError as error:
        _update(
            job_id,
            status=LetterPrintJob.Status.FAILED,
            error=" ".join(error.messages),
            finished_at=timezone.now(),
        )
        return "failed"
    except Exception:
        logger.exception("Letter print job %s failed", job_id)
        _update(
            job_id,
            status=LetterPrintJob.Status.FAILED,
            error=_("PDF:en kunde inte skapas. Försök igen; händer det igen, kontakta supporten."),
            finished_at=timezone.now(),
        )
        return "failed"
    return "built"


def _discard(job: LetterPrintJob, message: str) -> None:
    """The stored file may not be handed out any more: remove it and say why."""
    if job.pdf:
        job.pdf.delete(save=False)
    job.status = LetterPrintJob.Status.FAILED
    job.error = message
    job.youth_ids = []
    job.save(update_fields=["pdf", "status", "error", "youth_ids"])


def letter_print_download(
    *, user: User, job: LetterPrintJob, request: HttpRequest | None = None
) -> bytes:
    """The stored PDF for its creator; each download is logged as a print of every letter in it.

    The file was built earlier: if anyone in it has since got protected identity or
    is no longer the user's to see, it is removed instead of handed out.
    """
    if job.status != LetterPrintJob.Status.DONE or not job.pdf:
        raise ValidationError(_("PDF:en är inte klar än."))
    visible = {
        enrolment.youth_id for enrolment in batch_enrolments(user=user, batch=job.batch).values()
    }
    if not set(job.youth_ids) <= visible:
        message = _(
            "Någon i utskicket har fått skyddade personuppgifter eller går inte längre att se. "
            "Skapa PDF:en på nytt."
        )
        _discard(job, message)
        raise ValidationError(message)
    try:
        with job.pdf.open("rb") as file:
            content = file.read()
    except FileNotFoundError:
        message = _("PDF:en finns inte längre. Skapa den på nytt.")
        _discard(job, message)
        raise ValidationError(message) from None
    log_print(user=user, youth_ids=list(job.youth_ids), request=request)
    return content


def letter_print_files_purge(*, now: datetime.datetime | None = None) -> int:
    """Nightly: remove the PDFs built more than KEEP_DAYS ago (they hold addresses).

    The print run stays, with its confirmation; its PDF can be built again.
    Returns the number of files removed.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    message = _(
        "PDF:en togs bort %(days)s dagar efter att den skapades, eftersom den innehåller "
        "personuppgifter. Skapa den på nytt om du behöver den."
    ) % {"days": KEEP_DAYS}
    removed = 0
    for job in LetterPrintJob.objects.filter(
        status=LetterPrintJob.Status.DONE, finished_at__lt=cutoff
    ).iterator():
        _discard(job, message)
        removed += 1
    return removed
