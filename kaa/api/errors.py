"""The error format (docs/api.md, "Conventions"): ``{"errors": {"field": ["message", …]}}`` for every error status."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

NON_FIELD = "detail"


class ApiError(Exception):
    """Raise from an endpoint to answer ``status`` with field errors."""

    def __init__(self, status: int, errors: Mapping[str, Iterable[str]] | str) -> None:
        if isinstance(errors, str):
            errors = {NON_FIELD: [errors]}
        self.status = status
        self.errors = {
            field: [str(message) for message in messages] for field, messages in errors.items()
        }
        super().__init__(self.errors)


def forbidden() -> ApiError:
    return ApiError(403, _("Din roll har inte behörighet till detta."))


def not_found() -> ApiError:
    return ApiError(404, _("Hittades inte."))


def from_django_validation_error(error: DjangoValidationError, status: int = 400) -> ApiError:
    """Turn a model or service ValidationError into the API's 400 body."""
    if hasattr(error, "error_dict"):
        errors = {
            (NON_FIELD if field == "__all__" else field): [
                str(m) for m in error.message_dict[field]
            ]
            for field in error.error_dict
        }
    else:
        errors = {NON_FIELD: [str(message) for message in error.messages]}
    return ApiError(status, errors)
