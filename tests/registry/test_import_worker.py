"""A big register file checked and written by a real Celery worker, the page polling its progress."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from registry import importing
from registry.models import Enrolment, ImportBatch, Youth
from registry.personnummer import synthetic

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60


def poll(client, url: str, until: str) -> list[str]:
    """Ask for the progress partial as htmx does, until the batch reaches ``until``."""
    seen = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        response = client.get(url, headers={"HX-Request": "true"})
        seen.append(response.content.decode())
        if ImportBatch.objects.get().status == until:
            break
        time.sleep(0.2)
    return seen


def test_the_worker_checks_and_writes_a_file_while_the_page_polls(
    coordinator_client, municipality, celery_redis_worker, caplog, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 50)
    today = timezone.localdate()
    birth = today.replace(year=today.year - 17)
    rows = [
        {
            "personnummer": synthetic(birth - datetime.timedelta(days=n // 20), n),
            "first_name": f"Fil{n}",
            "last_name": "Arbetsson",
            "source": "never_started",
            "registered_on": today.isoformat(),
        }
        for n in range(300)
    ]
    upload = SimpleUploadedFile("register.csv", importing.write_rows(rows))
    response = coordinator_client.post(reverse("registry:import_upload"), {"file": upload})
    assert "in-process" not in caplog.text  # sent to the worker, not run in the request
    url = response["Location"]

    seen = poll(coordinator_client, url, ImportBatch.Status.READY)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY, seen[-1]
    assert (batch.validated_rows, batch.total_rows) == (300, 300)
    assert all("av 300" in partial for partial in seen[:-1])
    assert "300 nya ungdomar skrivs in" in coordinator_client.get(url).content.decode()

    coordinator_client.post(reverse("registry:import_confirm", args=[batch.pk]))
    poll(coordinator_client, url, ImportBatch.Status.DONE)
    page = coordinator_client.get(url).content.decode()
    assert "Klart: 300 nya ungdomar och 300 inskrivningar." in page
    assert Youth.objects.count() == Enrolment.objects.count() == 300
