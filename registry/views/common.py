"""Small helpers shared by the registry views."""

from __future__ import annotations

from ..forms import add_service_errors

__all__ = ["add_service_errors", "query_without_page"]


def query_without_page(request) -> str:
    """The current filters as a query string, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
