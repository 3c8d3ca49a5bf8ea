"""The list shape (docs/api.md, "Conventions"): ``{"count": n, "next": url|null, "results": […]}``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from .errors import ApiError

MAX_PAGE = settings.API_MAX_PAGE


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)

    class Output(Schema):
        count: int
        next: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        size = settings.API_PAGE_SIZE
        offset = (pagination.page - 1) * size
        count = self._items_count(queryset)
        if pagination.page > 1 and offset >= count:
            # docs/api.md: a page out of range answers 400, not an empty list.
            last = max(1, -(-count // size))
            raise ApiError(
                400, {"page": [_("Sidan finns inte. Sista sidan är %(last)s.") % {"last": last}]}
            )
        next_url = None
        if offset + size < count:
            query = request.GET.copy()
            query["page"] = str(pagination.page + 1)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {"count": count, "next": next_url, "results": list(queryset[offset : offset + size])}
