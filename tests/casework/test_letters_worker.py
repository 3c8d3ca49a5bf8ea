"""The day's letters built by a real Celery worker on the local Redis, the page polling it."""

from __future__ import annotations

import datetime
import io
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from casework.models import LetterBatch, LetterPrintJob, RoutineState
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

RESULT_TIMEOUT = 60


def due_today(municipality, coordinator, count):
    today = timezone.localdate()
    for n in range(count):
        enrolment = EnrolmentFactory(
            youth=YouthFactory(municipality=municipality, first_name=f"Arbetare{n}"),
            registered_on=today - datetime.timedelta(days=30),
            coordinator=coordinator,
        )
        RoutineState.objects.update_or_create(
            enrolment=enrolment,
            defaults={
                "next_step": "first_contact",
                "next_due": today,
                "overdue_after": today + datetime.timedelta(days=7),
            },
        )


def test_the_worker_builds_the_pdf_while_the_page_polls_its_progress(
    coordinator, coordinator_client, municipality, celery_redis_worker, caplog
):
    due_today(municipality, coordinator, 12)
    started = time.monotonic()
    response = coordinator_client.post(reverse("casework:letters_batch"))
    batch = LetterBatch.objects.get()
    # Sent to Redis for the worker, not built in the request.
    assert "in-process" not in caplog.text
    assert response["Location"] == reverse("casework:letters_batch_detail", args=[batch.pk])

    status_url = reverse("casework:letters_batch_status", args=[batch.pk])
    seen = []
    deadline = started + RESULT_TIMEOUT
    while time.monotonic() < deadline:
        partial = coordinator_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
        seen.append(partial)
        if "Öppna PDF:en" in partial:
            break
        assert "hx-get" in partial  # still working: the partial asks to be polled again
        time.sleep(0.2)
    assert "Öppna PDF:en" in seen[-1], seen[-1]
    assert "12 brev" in seen[-1]

    job = LetterPrintJob.objects.get()
    assert (job.status, job.done, job.total) == (LetterPrintJob.Status.DONE, 12, 12)
    pdf = coordinator_client.get(reverse("casework:letters_batch_pdf", args=[batch.pk]))
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) == 12
    assert "Arbetare0" in pages[0].extract_text()
