"""Small helpers shared by the registry views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, each message at its field when it has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def query_without_page(request) -> str:  # type: ignore[no-untyped-def]
    """The current filters as a query string, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
