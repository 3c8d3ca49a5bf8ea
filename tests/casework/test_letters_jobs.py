"""The day's letters are built as a background job: progress, the kept PDF, failures, no broker."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from casework.models import LetterBatch, LetterPrintJob
from casework.services import letter_print
from casework.services.letter_jobs import letter_batch_print
from kaa.celery import app as celery_app
from registry.models import AccessLog
from tests.conftest import logged_in_client

from .test_letters_batch import NOW, TODAY, enrolment_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def names_in(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def print_run(user, django_capture_on_commit_callbacks) -> LetterBatch:
    with django_capture_on_commit_callbacks(execute=True):
        return letter_batch_print(user=user, today=TODAY)


def test_the_page_shows_x_of_y_while_the_pdf_is_built_and_polls_until_done(
    coordinator, coordinator_client, municipality
):
    for _n in range(3):
        enrolment_due(municipality, "first_contact", coordinator=coordinator)
    batch = letter_batch_print(user=coordinator, today=TODAY)  # not committed: not built yet
    job = batch.print_job
    job.status, job.done, job.total = LetterPrintJob.Status.RUNNING, 2, 3
    job.save()
    status_url = reverse("casework:letters_batch_status", args=[batch.pk])

    detail = coordinator_client.get(reverse("casework:letters_batch_detail", args=[batch.pk]))
    html = detail.content.decode()
    assert "Skapar PDF:en… 2 av 3 brev klara." in html
    assert f'hx-get="{status_url}"' in html
    # Without JavaScript: a plain link reloads the page.
    assert f'href="{reverse("casework:letters_batch_detail", args=[batch.pk])}"' in html
    assert "Öppna PDF:en" not in html

    partial = coordinator_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "2 av 3" in partial and "<html" not in partial

    job.status, job.done = LetterPrintJob.Status.PENDING, 0
    job.save()
    letter_print.letter_print_build(job_id=job.pk)
    done = coordinator_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Öppna PDF:en" in done and "3 brev" in done
    assert "hx-get" not in done  # finished: the polling stops


def test_the_kept_pdf_is_downloaded_again_and_each_download_is_logged(
    coordinator, coordinator_client, municipality, django_capture_on_commit_callbacks
):
    enrolment_due(municipality, "first_contact", coordinator=coordinator, first_name="Signe")
    batch = print_run(coordinator, django_capture_on_commit_callbacks)
    url = reverse("casework:letters_batch_pdf", args=[batch.pk])
    first = coordinator_client.get(url)
    second = coordinator_client.get(url)
    assert first.content == second.content
    assert "Signe" in names_in(first.content)
    assert first["Cache-Control"] == "no-store"
    assert AccessLog.objects.filter(user=coordinator, action=AccessLog.Action.PRINT).count() == 2


def test_only_the_creator_downloads_the_pdf(
    coordinator, other_coordinator, manager, municipality, django_capture_on_commit_callbacks
):
    enrolment_due(municipality, "first_contact")
    batch = print_run(coordinator, django_capture_on_commit_callbacks)
    url = reverse("casework:letters_batch_pdf", args=[batch.pk])
    assert logged_in_client(coordinator).get(url)["Content-Type"] == "application/pdf"
    for user in (other_coordinator, manager):
        assert logged_in_client(user).get(url).status_code == 404
    assert not AccessLog.objects.exclude(user=coordinator).exists()


def test_a_pdf_not_built_yet_is_not_served(coordinator, coordinator_client, municipality):
    enrolment_due(municipality, "first_contact")
    batch = letter_batch_print(user=coordinator, today=TODAY)  # never committed, never built
    response = coordinator_client.get(
        reverse("casework:letters_batch_pdf", args=[batch.pk]), follow=True
    )
    assert "PDF:en är inte klar än." in response.content.decode()
    assert not AccessLog.objects.exists()


def test_someone_given_protected_identity_after_the_build_is_never_handed_out(
    coordinator, coordinator_client, municipality, django_capture_on_commit_callbacks
):
    kept = enrolment_due(municipality, "first_contact", coordinator=coordinator)
    enrolment_due(municipality, "first_contact", coordinator=coordinator)
    batch = print_run(coordinator, django_capture_on_commit_callbacks)
    stored = LetterPrintJob.objects.get().pdf.path
    kept.youth.protected_identity = True
    kept.youth.save()

    response = coordinator_client.get(
        reverse("casework:letters_batch_pdf", args=[batch.pk]), follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "Skapa PDF:en på nytt." in response.content.decode()
    job = LetterPrintJob.objects.get()
    assert job.status == LetterPrintJob.Status.FAILED and not job.pdf
    assert not os.path.exists(stored)

    # Built again, the PDF leaves the protected young person out.
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("casework:letters_batch_print", args=[batch.pk]))
    pdf = coordinator_client.get(reverse("casework:letters_batch_pdf", args=[batch.pk]))
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1
    assert kept.youth.first_name not in names_in(pdf.content)


def test_a_failed_build_says_why_in_swedish_and_can_be_tried_again(
    coordinator,
    coordinator_client,
    municipality,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    enrolment_due(municipality, "first_contact", coordinator=coordinator)

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(letter_print, "letters_pdf_in_steps", broken)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("casework:letters_batch"))
    batch = LetterBatch.objects.get()
    html = coordinator_client.get(
        reverse("casework:letters_batch_detail", args=[batch.pk])
    ).content.decode()
    assert "PDF:en kunde inte skapas. Försök igen" in html
    assert "disk full" not in html
    assert "Skapa PDF:en på nytt" in html

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("casework:letters_batch_print", args=[batch.pk]))
    detail = reverse("casework:letters_batch_detail", args=[batch.pk])
    assert "Öppna PDF:en" in coordinator_client.get(detail).content.decode()
    assert LetterPrintJob.objects.get().status == LetterPrintJob.Status.DONE


def test_a_batch_made_before_pdfs_were_kept_gets_one_on_request(
    coordinator, coordinator_client, municipality, django_capture_on_commit_callbacks
):
    enrolment = enrolment_due(municipality, "first_contact", coordinator=coordinator)
    batch = LetterBatch.objects.create(
        municipality=municipality,
        created_by=coordinator,
        printed_on=TODAY,
        items=[{"enrolment": enrolment.pk, "kind": "first_letter"}],
    )
    detail = reverse("casework:letters_batch_detail", args=[batch.pk])
    assert "Skapa PDF:en" in coordinator_client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("casework:letters_batch_print", args=[batch.pk]))
    assert "Öppna PDF:en" in coordinator_client.get(detail).content.decode()


def test_without_a_broker_the_pdf_is_built_in_the_request(
    coordinator, coordinator_client, municipality, django_capture_on_commit_callbacks
):
    """Redis down (or none, as in the demo): the page still ends with the PDF ready."""
    enrolment_due(municipality, "first_contact", coordinator=coordinator)
    real_broker = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator_client.post(reverse("casework:letters_batch"))
    finally:
        celery_app.conf.broker_url = real_broker
        celery_app.conf.task_always_eager = True
    assert "Öppna PDF:en" in coordinator_client.get(response["Location"]).content.decode()
    assert LetterPrintJob.objects.get().status == LetterPrintJob.Status.DONE


def test_a_kept_pdf_is_removed_after_a_week_and_can_be_built_again(
    coordinator, coordinator_client, municipality, django_capture_on_commit_callbacks
):
    enrolment_due(municipality, "first_contact", coordinator=coordinator)
    batch = print_run(coordinator, django_capture_on_commit_callbacks)
    stored = LetterPrintJob.objects.get().pdf.path
    assert letter_print.letter_print_files_purge(now=timezone.now() + timedelta(days=6)) == 0
    assert os.path.exists(stored)

    assert letter_print.letter_print_files_purge(now=timezone.now() + timedelta(days=8)) == 1
    assert not os.path.exists(stored)
    detail = reverse("casework:letters_batch_detail", args=[batch.pk])
    html = coordinator_client.get(detail).content.decode()
    assert "PDF:en togs bort 7 dagar efter att den skapades" in html
    assert "Skapa PDF:en på nytt" in html
    assert LetterBatch.objects.filter(pk=batch.pk).exists()


def test_deleting_a_print_run_removes_its_stored_pdf(
    coordinator, municipality, django_capture_on_commit_callbacks
):
    enrolment_due(municipality, "first_contact", coordinator=coordinator)
    batch = print_run(coordinator, django_capture_on_commit_callbacks)
    stored = LetterPrintJob.objects.get().pdf.path
    batch.delete()
    assert not os.path.exists(stored)
