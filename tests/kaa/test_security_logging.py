"""No personal data in log lines or error reports (docs/domain.md, data protection)."""

from __future__ import annotations

import datetime
import io
import json
import logging
import sys

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import get_exception_reporter_class

from kaa.redaction import PersonalDataFilter
from registry.personnummer import synthetic
from tests.factories import YouthFactory
from tests.registry.test_pages import create_data

pytestmark = pytest.mark.django_db

PNR = synthetic(datetime.date(2010, 7, 7), 4)
SHORT = f"{PNR[2:8]}-{PNR[8:]}"
NAME = "Hemlighetsdotter"


@pytest.fixture
def log_output():
    """What the configured stdout handler writes, as the log collector would read it."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, PersonalDataFilter) for f in handler.filters)
    ]
    assert handlers, "settings.LOGGING's handler is installed on the root logger"
    buffer = io.StringIO()
    previous = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def test_every_configured_handler_has_the_filter():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name


def test_a_page_error_with_personal_data_logs_none_of_it(coordinator, log_output, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError(
            f"duplicate key (personnummer)=({kwargs['personnummer']}) "
            f"row ({kwargs['first_name']}, {kwargs['last_name']}, a@b.se)"
        )

    monkeypatch.setattr("registry.services.youth_create", boom)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    response = client.post(
        reverse("registry:youth_create") + f"?from={SHORT}",
        create_data(personnummer=SHORT, first_name="Ida", last_name=NAME, email="a@b.se"),
    )
    assert response.status_code == 500
    text = log_output.getvalue()
    assert "Internal Server Error" in text
    assert "RuntimeError" in text  # the kind of error and where it happened stay
    for secret in (PNR, SHORT, PNR[2:], NAME, "a@b.se"):
        assert secret not in text


def test_an_api_error_with_personal_data_logs_none_of_it(coordinator_api, log_output, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError(f"cannot store {kwargs['personnummer']} {kwargs['last_name']}")

    monkeypatch.setattr("registry.services.youth_create", boom)
    response = coordinator_api.post(
        "/api/v1/youths/", {"personnummer": PNR, "first_name": "Ida", "last_name": NAME}
    )
    assert response.status_code == 500
    text = log_output.getvalue()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert any("registry/api.py" in line.get("exc_info", "") for line in lines)
    assert PNR not in text
    assert NAME not in text


def test_a_refused_query_with_a_personnummer_is_logged_without_it(coordinator_api, log_output):
    response = coordinator_api.get("/api/v1/youths/", {"search": SHORT})
    assert response.status_code == 400
    assert "personnummer" in response.json()["errors"]["search"][0]
    text = log_output.getvalue()
    assert "Bad Request" in text
    assert SHORT not in text


def test_log_arguments_that_are_records_are_named_by_id(municipality, log_output):
    youth = YouthFactory(municipality=municipality, last_name=NAME)
    logging.getLogger("registry").warning("Could not send the letter to %s (%s)", youth, PNR)
    text = log_output.getvalue()
    assert f"<Youth {youth.pk}>" in text
    assert NAME not in text
    assert PNR not in text


@pytest.mark.parametrize(
    "number", [PNR, SHORT, PNR[2:], f"{PNR[:8]}-{PNR[8:]}", f"{PNR[2:8]}+{PNR[8:]}"]
)
def test_every_shape_of_personnummer_is_removed(number, log_output):
    logging.getLogger("kaa").error("lookup %s failed", number)
    logging.getLogger("kaa").error(f"lookup {number} failed")
    assert number not in log_output.getvalue()
    assert "lookup [borttaget] failed" in log_output.getvalue()


def test_error_reports_carry_no_values():
    request = RequestFactory().post(
        f"/ungdomar/ny/?q={SHORT}", {"personnummer": PNR, "last_name": NAME}
    )
    first_name = "Ida"  # a frame variable the report would otherwise show
    try:
        raise ValueError(f"{first_name} {NAME} {PNR}")
    except ValueError:
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
        reports = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert "ValueError" in reports
    assert "last_name" in reports  # which fields came, not their values
    for secret in (PNR, SHORT, NAME, "'Ida'"):
        assert secret not in reports
