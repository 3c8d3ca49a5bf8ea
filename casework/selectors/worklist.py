"""The coordinator's worklist: steps of the contact routine due or overdue, from RoutineState."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from registry.models import Enrolment, Role, User, Youth
from registry.models.youth import EnrolmentQuerySet

from ..models import RoutineState
from .routine_facts import routine_facts_for

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
        .filter(enrolment__in=_enrolments(user, coordinator).active(), next_due__lte=as_of)
        .exclude(next_step="")
    )
    if overdue_only:
        states = states.filter(overdue_after__lt=as_of)
    if step:
        states = states.filter(next_step=step)
    return states.select_related(
        "enrolment", "enrolment__youth", "enrolment__coordinator"
    ).order_by("next_due", "enrolment_id")


def _enrolments(user: User, coordinator: str | None = None) -> EnrolmentQuerySet:
    """The enrolments whose steps this user's worklist holds (see ``worklist_items``)."""
    enrolments = Enrolment.objects.visible_to(user)
    if user.role == Role.COORDINATOR:
        return enrolments.filter(Q(coordinator=user) | Q(coordinator__isnull=True))
    if coordinator == UNASSIGNED:
        return enrolments.filter(coordinator__isnull=True)
    if coordinator:
        return enrolments.filter(coordinator_id=int(coordinator))
    return enrolments


@dataclass(frozen=True)
class WorklistRow:
    enrolment_id: int
    youth_id: int
    next_step: str
    next_due: datetime.date
    overdue: bool


def worklist_rows_on(
    *, user: User, as_of: datetime.date, overdue_only: bool = False
) -> list[WorklistRow]:
    """The worklist as it stood on a past day, counting only what was known then.

    RoutineState holds the routine for today (it counts attempts made after a
    past day), so a past day is evaluated afresh: the enrolments, then
    ``routine_facts_for``'s queries, then ``casework.routine`` per enrolment
    active on that day.
    """
    if user.role not in (Role.COORDINATOR, Role.MANAGER):
        return []
    active_then = (
        _enrolments(user)
        .filter(registered_on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
    )
    youth_ids = dict(active_then.values_list("pk", "youth_id"))
    facts = routine_facts_for(active_then, attempts_until=as_of)
    rows = []
    for enrolment_id, youth_id in youth_ids.items():
        if enrolment_id not in facts:
            continue
        step = facts[enrolment_id].evaluate(as_of).next_step
        if step is None or step.due > as_of or (overdue_only and not step.overdue):
            continue
        rows.append(WorklistRow(enrolment_id, youth_id, step.code, step.due, step.overdue))
    rows.sort(key=lambda row: (row.next_due, row.enrolment_id))
    return rows


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
