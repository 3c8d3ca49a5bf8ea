"""The coordinator's worklist: steps of the contact routine due or overdue, from RoutineState."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from registry.models import Enrolment, Role, User, Youth

from ..models import RoutineState

UNASSIGNED = "none"


def worklist_items(
    *,
    user: User,
    as_of: datetime.date,
    overdue_only: bool = False,
    step: str | None = None,
    coordinator: str | None = None,
) -> QuerySet[RoutineState]:
    """Due and overdue steps of active enrolments this user works with, oldest due first.

    A coordinator gets the young people assigned to them and the unassigned;
    a manager everyone's, narrowed by ``coordinator`` (a user id or
    ``UNASSIGNED``). Protected identity: ``Enrolment.objects.visible_to``.
    The state is the routine for today (``casework.services.routine_state``).
    """
    if user.role not in (Role.COORDINATOR, Role.MANAGER):
        return RoutineState.objects.none()
    states = (
        RoutineState.objects.for_user(user)
        .filter(
            enrolment__in=Enrolment.objects.visible_to(user).active(),
            next_due__lte=as_of,
        )
        .exclude(next_step="")
    )
    if user.role == Role.COORDINATOR:
        states = states.filter(
            Q(enrolment__coordinator=user) | Q(enrolment__coordinator__isnull=True)
        )
    elif coordinator == UNASSIGNED:
        states = states.filter(enrolment__coordinator__isnull=True)
    elif coordinator:
        states = states.filter(enrolment__coordinator_id=coordinator)
    if overdue_only:
        states = states.filter(overdue_after__lt=as_of)
    if step:
        states = states.filter(next_step=step)
    return states.select_related(
        "enrolment", "enrolment__youth", "enrolment__coordinator"
    ).order_by("next_due", "enrolment_id")


def worklist_count(*, user: User, as_of: datetime.date) -> int:
    return worklist_items(user=user, as_of=as_of).count()


@dataclass(frozen=True)
class WorklistItem:
    enrolment: Enrolment
    youth: Youth
    step: str
    due: datetime.date
    overdue: bool
    days_past_due: int


def worklist_item(state: RoutineState, as_of: datetime.date) -> WorklistItem:
    assert state.next_due is not None and state.overdue_after is not None
    return WorklistItem(
        enrolment=state.enrolment,
        youth=state.enrolment.youth,
        step=state.next_step,
        due=state.next_due,
        overdue=as_of > state.overdue_after,
        days_past_due=(as_of - state.next_due).days,
    )
