"""Reads of move notifications (docs/domain.md, "Regions and moves").

The receiving municipality's managers and coordinators see its incoming moves;
a protected identity's move only its managers, and never with an address.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import MoveNotification, MoveStatus, User


def incoming_moves(*, user: User, status: str | None = None) -> QuerySet[MoveNotification]:
    moves = (
        MoveNotification.objects.visible_to(user)
        .select_related("from_municipality", "handled_by")
        .order_by("moved_on", "pk")
    )
    if status:
        moves = moves.filter(status=status)
    return moves


def pending_moves(*, user: User) -> QuerySet[MoveNotification]:
    """The worklist section "Inflyttade att registrera"."""
    return incoming_moves(user=user, status=MoveStatus.PENDING)


def move_get(*, user: User, pk: int) -> MoveNotification:
    move = incoming_moves(user=user).filter(pk=pk).first()
    if move is None:
        raise Http404
    return move
