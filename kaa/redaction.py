"""No personal data in log lines or error reports (docs/domain.md, data protection).

``PersonalDataFilter`` is installed on every handler in ``settings.LOGGING``. It

- replaces anything shaped like a personnummer (10 or 12 digits, with or
  without the dash) and e-mail addresses,
- drops query strings from paths and request descriptions (a query may hold
  a search),
- turns model instances passed as log arguments into ``<Youth 12>`` (their
  ``str`` is often a name),
- keeps the traceback's frames but removes every exception's message: a
  database error quotes the failing row ("DETAIL: Failing row contains …"),
  a validation error quotes the value.

``PersonalDataExceptionReporter`` and ``PersonalDataReporterFilter`` do the
same for Django's error reports (the technical 500 page and admin e-mails):
no POST or GET values, no frame variables, no exception message.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from django.db import models
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REMOVED = "[borttaget]"
PERSONNUMMER = re.compile(r"(?<![\d])(?:\d{2})?\d{6}[-+ ]?\d{4}(?![\d])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
QUERY_STRING = re.compile(r"\?[^\s'\"<>]+")
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def scrub(text: str) -> str:
    text = QUERY_STRING.sub("?" + REMOVED, text)
    text = EMAIL.sub(REMOVED, text)
    return PERSONNUMMER.sub(REMOVED, text)


def safe_traceback(exception: BaseException) -> str:
    """The traceback's frames and exception types, without any exception's message."""
    chain: list[BaseException] = []
    current: BaseException | None = exception
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts = []
    for item in reversed(chain):
        kind = type(item)
        parts.append(
            "Traceback (most recent call last):\n"
            + "".join(traceback.format_tb(item.__traceback__))
            + f"{kind.__module__}.{kind.__qualname__}: [meddelandet borttaget]"
        )
    return scrub("\n\nThe above exception led to the following:\n\n".join(parts))


def _safe_argument(value: Any) -> Any:
    if isinstance(value, models.Model):
        return f"<{type(value).__name__} {value.pk}>"
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return scrub(str(value))


class _RedactedRequest:
    """A request whose description carries no query string; everything else is the request."""

    def __init__(self, request: Any) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def __repr__(self) -> str:
        method = getattr(self._request, "method", "")
        return f"<{type(self._request).__name__}: {method} {scrub(str(getattr(self._request, 'path', '')))}>"

    __str__ = __repr__


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_kaa_scrubbed", False):
            return True
        args = record.args
        if isinstance(args, dict):
            args = {key: _safe_argument(value) for key, value in args.items()}
        elif args:
            args = tuple(_safe_argument(value) for value in args)
        try:
            message = str(record.msg) % args if args else str(record.msg)
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1])
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        for name, value in list(vars(record).items()):
            if name in STANDARD_ATTRIBUTES:
                continue
            if name == "request" and value is not None:
                record.request = _RedactedRequest(value)
            elif isinstance(value, str):
                setattr(record, name, scrub(value))
        record._kaa_scrubbed = True
        return True


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports show which parameters came, never their values."""

    def is_active(self, request: Any) -> bool:
        return True

    def get_post_parameters(self, request: Any) -> Any:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request: Any) -> dict:
        meta = super().get_safe_request_meta(request)
        for key in ("QUERY_STRING", "REQUEST_URI", "RAW_URI", "HTTP_REFERER", "PATH_INFO"):
            if key in meta:
                meta[key] = scrub(str(meta[key]))
        return meta


class PersonalDataExceptionReporter(ExceptionReporter):
    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        data["exception_value"] = "[meddelandet borttaget]"
        if "request_GET_items" in data:
            data["request_GET_items"] = [
                (key, REMOVED) for key, _value in data["request_GET_items"]
            ]
        if "request_FILES_items" in data:
            data["request_FILES_items"] = [
                (key, REMOVED) for key, _value in data["request_FILES_items"]
            ]
        if self.request is not None:
            data["request_GET_items"] = [(key, REMOVED) for key in self.request.GET]
            data["request_insecure_uri"] = scrub(str(data.get("request_insecure_uri", "")))
        for frame in data.get("frames", []):
            frame["exc_cause"] = None
            frame["vars"] = [(name, REMOVED) for name, _value in frame.get("vars", [])]
        data["lastframe"] = dict(data.get("lastframe") or {}, vars=[])
        data["unicode_hint"] = ""
        return data
