"""Hostile input at the API's door (docs/api.md, "Errors, always JSON").

Every answer under ``/api/v1/`` is JSON, errors included. Before a view runs,
this middleware refuses, in the API's error shape:

- a body over ``API_MAX_BODY_BYTES`` (413),
- a body that is not JSON (415) or not UTF-8 (400),
- text with NUL characters or unpaired surrogates, in the body or the query (400),
- a personnummer in the query string (400): it would land in server and proxy logs.

After the view, an error answer that is not JSON (Django's 404 page, a 405
without a body) is replaced by the JSON shape; an unexpected exception is
logged (the log filter removes personal data) and answered as a JSON 500.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from registry import personnummer as pnr

logger = logging.getLogger("kaa.api")

API_PREFIX = "/api/v1/"
ALL = "__all__"
BODY_METHODS = ("POST", "PUT", "PATCH")
# A lone surrogate (U+D800–U+DFFF) cannot be stored or encoded as UTF-8.
FORBIDDEN_TEXT = re.compile("[\x00\ud800-\udfff]")
# 10 or 12 digits, with or without the dash or plus: the shapes of a personnummer.
PERSONNUMMER_SHAPE = re.compile(r"^\s*(\d{2})?\d{6}[-+]?\d{4}\s*$")
PERSONNUMMER_KEYS = ("personnummer", "pnr", "personal_number", "ssn")


def errors(status: int, messages: dict[str, list[str]], **headers: str) -> JsonResponse:
    response = JsonResponse({"errors": messages}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def has_forbidden_text(value: str) -> bool:
    return FORBIDDEN_TEXT.search(value) is not None


def looks_like_personnummer(value: str) -> bool:
    return bool(PERSONNUMMER_SHAPE.match(value)) and pnr.is_valid(value.strip())


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text in a parsed JSON value, keys included, with the field it belongs to."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _strings(item, str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)


def _field(name: str) -> str:
    return name if name and not has_forbidden_text(name) else ALL


def _forbidden_text_message() -> str:
    return _("Texten innehåller otillåtna tecken (NUL-tecken eller ogiltig Unicode). Ta bort dem.")


def _status_message(status: int) -> str:
    messages = {
        400: _("Begäran kunde inte läsas."),
        401: _("Saknad eller ogiltig API-nyckel."),
        403: _("Din roll har inte behörighet till detta."),
        404: _("Hittades inte."),
        405: _("Metoden stöds inte för den här adressen."),
        413: _("Begäran är för stor."),
        415: _("Skicka JSON med Content-Type: application/json."),
        429: _("För många anrop. Vänta en stund och försök igen."),
    }
    if status >= 500:
        return _("Ett oväntat fel inträffade. Felet är loggat utan personuppgifter; försök igen.")
    return messages.get(status, _("Begäran kunde inte utföras."))


class ApiGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self._refuse(request) or self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            headers = {"Allow": response["Allow"]} if response.has_header("Allow") else {}
            response = errors(
                response.status_code, {ALL: [_status_message(response.status_code)]}, **headers
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        logger.error("Unexpected error in %s %s", request.method, request.path, exc_info=exception)
        return errors(500, {ALL: [_status_message(500)]})

    # --- before the view ---

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        return self._check_query(request) or self._check_body(request)

    def _check_query(self, request: HttpRequest) -> HttpResponse | None:
        for key, values in request.GET.lists():
            field = _field(key)
            if has_forbidden_text(key) or any(has_forbidden_text(v) for v in values):
                return errors(400, {field: [_forbidden_text_message()]})
            if key.lower() in PERSONNUMMER_KEYS or any(looks_like_personnummer(v) for v in values):
                return errors(
                    400,
                    {
                        field: [
                            _(
                                "Ett personnummer får inte skickas i adressen (det hamnar i loggar). "
                                "Använd POST /api/v1/youths/lookup/ med personnumret i JSON-kroppen."
                            )
                        ]
                    },
                )
        return None

    def _check_body(self, request: HttpRequest) -> HttpResponse | None:
        limit: int = settings.API_MAX_BODY_BYTES
        too_big = errors(
            413,
            {ALL: [_("Begäran är för stor (högst %(max)s byte).") % {"max": limit}]},
        )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return errors(400, {ALL: [_("Ogiltig Content-Length.")]})
        if length > limit:
            return too_big
        if request.method not in BODY_METHODS:
            return None
        try:
            body = request.body
        except RequestDataTooBig:
            return too_big
        if len(body) > limit:
            return too_big
        if not body.strip():
            return None
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            return errors(
                415,
                {
                    ALL: [
                        _(
                            "Fel innehållstyp ”%(type)s”. Skicka JSON med Content-Type: application/json."
                        )
                        % {"type": content_type[:100] or "–"}
                    ]
                },
            )
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return errors(400, {ALL: [_("Begäran är inte giltig UTF-8.")]})
        try:
            data = json.loads(text)
        except ValueError:
            return None  # django-ninja answers malformed JSON with its own 400
        for field, value in _strings(data):
            if has_forbidden_text(value):
                return errors(400, {_field(field): [_forbidden_text_message()]})
        return None
