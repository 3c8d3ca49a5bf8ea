"""The worklist section "Inflyttade att registrera" (docs/domain.md, "Regions and moves")."""

from __future__ import annotations

from typing import Any

from django import template

from .. import move_selectors, municipalities, services

register = template.Library()


@register.inclusion_tag("registry/partials/incoming_moves.html", takes_context=True)
def incoming_moves(context: template.Context) -> dict[str, Any]:
    """The caller's pending incoming moves; the read is access-logged (receiving side)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"moves": []}
    moves = list(move_selectors.pending_moves(user=user))
    if moves:
        services.move_reads_record(
            user=user, notifications=moves, action=services.MOVE_READ_LIST, request=request
        )
    return {"moves": moves}


@register.filter
def municipality_label(code: str) -> str:
    """``1480 Göteborg`` from a municipality code."""
    return municipalities.label(code or "")
