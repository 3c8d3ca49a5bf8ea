"""Hostile import files (issue 12): a clear Swedish message, never a 500, nothing written."""

from __future__ import annotations

import codecs
import csv
import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry import importing
from registry.models import ImportBatch, ImportRow, Youth
from registry.personnummer import synthetic

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2009, 4, 2)
HEADING = "personnummer;first_name;last_name;source;registered_on\n"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def line(n: int, first_name: str = "Åsa") -> str:
    return f"{synthetic(BIRTH, n)};{first_name};Öberg;other;2026-11-02\n"


def upload(client, content: bytes, name: str = "register.csv"):
    return client.post(
        reverse("registry:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def assert_refused(response, message: str) -> None:
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not ImportRow.objects.exists()
    assert not Youth.objects.exists()


def test_bytes_undefined_in_windows_1252_are_named(coordinator_client):
    content = (HEADING + line(0)).encode("cp1252") + line(1).encode("cp1252").replace(
        b"\xc5", b"\x81"
    )
    assert_refused(upload(coordinator_client, content), "0x81 på rad 3")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(coordinator_client, encoding):
    text = HEADING + line(0) + line(1)
    content = text.encode(encoding)
    if encoding != "utf-16":  # the plain codec writes its own mark
        content = (
            codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        ) + content
    rows = importing.read_rows("fil.csv", content)
    assert [row["first_name"] for row in rows] == ["Åsa", "Åsa"]
    assert upload(coordinator_client, content).status_code == 302


def test_utf16_without_a_mark_is_named(coordinator_client):
    content = (HEADING + line(0)).encode("utf-16-le")
    assert_refused(upload(coordinator_client, content), "UTF-16")


def test_nul_bytes_are_refused_with_their_line(coordinator_client):
    content = (HEADING + line(0) + line(1, first_name="Å\x00sa")).encode("utf-8")
    assert_refused(upload(coordinator_client, content), "NUL-tecken (första på rad 3)")


def test_a_field_over_the_csv_field_limit_is_refused(coordinator_client):
    huge = "x" * (csv.field_size_limit() + 1)
    content = (HEADING + line(0) + line(1, first_name=huge)).encode("utf-8")
    assert_refused(upload(coordinator_client, content), "Rad 3 kunde inte läsas")


def test_100000_rows_are_refused_above_the_maximum(coordinator_client):
    body = "".join(line(n % 20) for n in range(100_000))
    response = upload(coordinator_client, (HEADING + body).encode("utf-8"))
    assert_refused(response, f"högst {importing.MAX_ROWS}")
    assert "Dela upp filen" in response.content.decode()


def test_exactly_the_maximum_is_read(settings, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    assert len(importing.read_rows("f.csv", (HEADING + line(0) + line(1) + line(2)).encode())) == 3
    with pytest.raises(importing.ImportFileError):
        importing.read_rows("f.csv", (HEADING + "".join(line(n) for n in range(4))).encode())


def test_a_file_name_with_nul_is_stored_without_it(coordinator_client):
    response = upload(coordinator_client, (HEADING + line(0)).encode(), name="reg\x00ister.csv")
    assert response.status_code == 302
    assert "\x00" not in ImportBatch.objects.get().filename


def test_nul_in_a_browser_form_is_a_swedish_form_error(coordinator_client):
    response = coordinator_client.post(
        reverse("registry:youth_create"),
        {"personnummer": synthetic(BIRTH, 0), "first_name": "Å\x00sa", "last_name": "Öberg"},
    )
    assert response.status_code == 200
    assert "Null-tecken är inte tillåtna." in response.content.decode()
    assert not Youth.objects.exists()


def test_surrogate_bytes_in_a_browser_form_are_no_500(coordinator_client):
    body = (
        "personnummer=" + synthetic(BIRTH, 0) + "&first_name=%ED%A0%80sa&last_name=%00berg"
    ).encode()
    response = coordinator_client.generic(
        "POST",
        reverse("registry:youth_create"),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Null-tecken är inte tillåtna." in response.content.decode()
    assert not Youth.objects.exists()
