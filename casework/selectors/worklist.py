"""The coordinator's worklist: steps of the contact routine due or overdue, from RoutineState.

Every read here is a fixed number of queries on the stored state (never the
routine per row): the page is one keyset-paged query, one aggregate for the
sections' counts and one for the tabs' counts; the menu's count is one query
served by ``routinestate_worklist_idx`` (see ``casework.models.RoutineState``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from registry.models import Enrolment, Role, User, Youth
from registry.models.youth import EnrolmentQuerySet

from ..models import RoutineState
from .routine_facts import routine_facts_for

UNASSIGNED = "none"

# Whose steps the page lists: a coordinator's own by
# default, the unassigned, or all the municipality's that the user may see.
SCOPE_MINE = "mine"
SCOPE_UNASSIGNED = "unassigned"
SCOPE_ALL = "all"
SCOPES = (SCOPE_MINE, SCOPE_UNASSIGNED, SCOPE_ALL)

# Steps due within this many days after today are listed too ("due this week").
UPCOMING_DAYS = 6


def worklist_items(
    *,
    user: User,
    as_of: datetime.date,
    overdue_only: bool = False,
    step: str | None = None,
    coordinator: str | None = None,
    scope: str | None = None,
    search: str = "",
    due_until: datetime.date | None = None,
) -> QuerySet[RoutineState]:
    """Due and overdue steps of active enrolments this user works with, oldest due first.

    Without ``scope`` (the API, the menu's count) a coordinator gets the young
    people assigned to them and the unassigned; a manager everyone's, narrowed
    by ``coordinator`` (a user id or ``UNASSIGNED``). With ``scope`` (the page)
    a coordinator picks their own, the unassigned or all. ``due_until`` (default
    ``as_of``) takes in steps falling due later. Protected identity: as
    ``Enrolment.objects.visible_to``. The state is the routine for today
    (``casework.services.routine_state``).
    """
    if user.role not in (Role.COORDINATOR, Role.MANAGER):
        return RoutineState.objects.none()
    # No condition on the joined enrolment: an enrolment ended (never later than
    # today) has no next step, and the state's copied columns say whose it is, so
    # PostgreSQL reads routinestate_worklist_idx in order and stops after a page.
    states = RoutineState.objects.for_user(user).filter(
        _open_due(due_until or as_of), _scope_q(user, coordinator=coordinator, scope=scope)
    )
    if overdue_only:
        states = states.filter(overdue_after__lt=as_of)
    if step:
        states = states.filter(next_step=step)
    for word in search.split()[:4]:
        states = states.filter(
            Q(enrolment__youth__first_name__icontains=word)
            | Q(enrolment__youth__last_name__icontains=word)
        )
    return states.select_related(
        "enrolment", "enrolment__youth", "enrolment__coordinator"
    ).order_by("next_due", "enrolment_id")


def _open_due(until: datetime.date) -> Q:
    """A pending step due on or before ``until``: the condition of routinestate_worklist_idx."""
    return Q(next_due__lte=until) & ~Q(next_step="")


def _scope_q(user: User, *, coordinator: str | None = None, scope: str | None = None) -> Q:
    """Whose steps (see ``worklist_items``), on RoutineState's own copied columns.

    RoutineState keeps the enrolment's coordinator and the young person's
    protected identity, so the counts need no join (routinestate_worklist_idx).
    """
    visible = Q()
    if user.role == Role.COORDINATOR:
        # Enrolment.objects.visible_to: protected identity only when assigned to them.
        visible = Q(protected_identity=False) | Q(coordinator=user)
        if scope is None:
            return Q(coordinator=user) | Q(coordinator__isnull=True, protected_identity=False)
    elif coordinator == UNASSIGNED:
        scope = SCOPE_UNASSIGNED
    elif coordinator:
        return Q(coordinator_id=int(coordinator))
    if scope == SCOPE_MINE:
        return Q(coordinator=user)
    if scope == SCOPE_UNASSIGNED:
        return visible & Q(coordinator__isnull=True)
    return visible


def _counted(user: User, *, until: datetime.date, scope: str | None = None) -> QuerySet:
    """The pending steps counted for this user: RoutineState alone, read from its index."""
    if user.role not in (Role.COORDINATOR, Role.MANAGER):
        return RoutineState.objects.none()
    return (
        RoutineState.objects.for_user(user)
        .filter(_open_due(until), _scope_q(user, scope=scope))
        .order_by()
    )


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


Cursor = tuple[datetime.date, int]


def worklist_page(
    states: QuerySet[RoutineState], *, after: Cursor | None, size: int
) -> tuple[list[RoutineState], Cursor | None]:
    """One page of ``states`` (ordered by next_due, enrolment_id) after a keyset cursor.

    Returns the page and the cursor of the next page (None on the last page).
    The cost does not grow with how far the user has paged.
    """
    if after is not None:
        due, enrolment_id = after
        states = states.filter(Q(next_due__gt=due) | Q(next_due=due, enrolment_id__gt=enrolment_id))
    rows = list(states.order_by("next_due", "enrolment_id")[: size + 1])
    if len(rows) <= size:
        return rows, None
    last = rows[size - 1]
    assert last.next_due is not None
    return rows[:size], (last.next_due, last.enrolment_id)


@dataclass(frozen=True)
class StepCount:
    step: str
    total: int
    overdue: int


def worklist_step_counts(
    states: QuerySet[RoutineState], *, as_of: datetime.date
) -> dict[str, StepCount]:
    """Per step: how many steps the filtered list holds and how many are overdue (one query)."""
    rows = (
        states.order_by()
        .values("next_step")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(overdue_after__lt=as_of)))
    )
    return {
        row["next_step"]: StepCount(row["next_step"], row["total"], row["overdue"]) for row in rows
    }


@dataclass(frozen=True)
class WorklistCounts:
    """Per step and tab (own, unassigned, all): steps up to ``due_until`` and the overdue."""

    by_step: dict[str, dict[str, int]]
    menu: int

    def tab(self, scope: str) -> int:
        return sum(counts[scope] for counts in self.by_step.values())

    def steps(self, scope: str) -> dict[str, StepCount]:
        return {
            step: StepCount(step, counts[scope], counts[f"{scope}_overdue"])
            for step, counts in self.by_step.items()
            if counts[scope]
        }


def worklist_counts(
    *, user: User, as_of: datetime.date, due_until: datetime.date
) -> WorklistCounts:
    """The tabs' and sections' counts and the menu's count, in one query.

    One GROUP BY over the steps this user may see, with a FILTER per tab. The
    menu's count (as ``worklist_count``) is kept on the request's user, so the
    menu of the page that asked does not count again.
    """
    if user.role not in (Role.COORDINATOR, Role.MANAGER):
        return WorklistCounts({}, 0)
    overdue = Q(overdue_after__lt=as_of)
    tabs = {
        SCOPE_MINE: Q(coordinator=user),
        SCOPE_UNASSIGNED: Q(coordinator__isnull=True),
        SCOPE_ALL: Q(pk__isnull=False),
    }
    aggregates = {"menu": Count("pk", filter=_scope_q(user) & Q(next_due__lte=as_of))}
    for name, condition in tabs.items():
        aggregates[name] = Count("pk", filter=condition)
        aggregates[f"{name}_overdue"] = Count("pk", filter=condition & overdue)
    rows = (
        _counted(user, until=due_until, scope=SCOPE_ALL).values("next_step").annotate(**aggregates)
    )
    by_step = {row.pop("next_step"): row for row in rows}
    counts = WorklistCounts(by_step, sum(row["menu"] for row in by_step.values()))
    setattr(user, _COUNT_MEMO, (as_of, counts.menu))
    return counts


_COUNT_MEMO = "_worklist_count"


def worklist_count(*, user: User, as_of: datetime.date) -> int:
    """The menu's count: steps due or overdue today on the user's own and unassigned cases.

    One index-only query on RoutineState (routinestate_worklist_idx), unless the
    page already counted (``worklist_counts``).
    """
    memo = getattr(user, _COUNT_MEMO, None)
    if memo is not None and memo[0] == as_of:
        return memo[1]
    return _counted(user, until=as_of).count()


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


# How urgent a row is, shown as text and a badge (never colour alone).
URGENCY_OVERDUE = "overdue"
URGENCY_TOLERANCE = "tolerance"
URGENCY_TODAY = "today"
URGENCY_WEEK = "week"


@dataclass(frozen=True)
class WorklistItem:
    enrolment: Enrolment
    youth: Youth
    step: str
    due: datetime.date
    overdue: bool
    days_past_due: int

    @property
    def urgency(self) -> str:
        if self.overdue:
            return URGENCY_OVERDUE
        if self.days_past_due > 0:
            return URGENCY_TOLERANCE
        if self.days_past_due == 0:
            return URGENCY_TODAY
        return URGENCY_WEEK

    @property
    def days_until_due(self) -> int:
        return -self.days_past_due


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
