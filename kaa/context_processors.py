"""The site shell's template context: the menu and its count (docs/architecture.md)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from casework.selectors.worklist import worklist_count

from .navigation import items_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": items_for(user.role), "worklist_count": _worklist_count(user)}


def _worklist_count(user) -> int:
    """The steps due or overdue for this user (one query; casework.selectors.worklist)."""
    if not user.can_work_cases or user.municipality_id is None:
        return 0
    return worklist_count(user=user, as_of=timezone.localdate())
