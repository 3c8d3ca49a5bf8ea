"""Reads of the follow-up app, always scoped by ``for_user`` / ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from registry.models import Enrolment, Role, User

from .ageing import AGE_OUT_WARNING_DAYS, latest_birth_date_turned_20, twentieth_birthday
from .models import JobRun, OverdueFlag, PendingJob, Reminder, RetentionPolicy


def _mine(user: User) -> Q:
    """As the worklist: a coordinator's own enrolments and the unassigned; a manager's all."""
    if user.role == Role.COORDINATOR:
        return Q(coordinator=user) | Q(coordinator__isnull=True)
    return Q()


def open_flags(user: User) -> QuerySet[OverdueFlag]:
    """Open overdue flags on active enrolments this user may see, oldest due first."""
    visible = Enrolment.objects.visible_to(user).active().filter(_mine(user))
    return (
        OverdueFlag.objects.for_user(user)
        .filter(resolved_on__isnull=True, enrolment__in=visible)
        .select_related("enrolment__youth", "enrolment__coordinator")
        .order_by("due", "id")
    )


def open_reminders(user: User) -> QuerySet[Reminder]:
    visible = Enrolment.objects.visible_to(user).active().filter(_mine(user))
    return (
        Reminder.objects.for_user(user)
        .filter(resolved_on__isnull=True, measure__plan__enrolment__in=visible)
        .select_related("measure__plan__enrolment__youth")
        .order_by("due", "id")
    )


@dataclass(frozen=True)
class AgeingOut:
    enrolment: Enrolment
    turns_20_on: datetime.date


def ageing_out(user: User, today: datetime.date) -> list[AgeingOut]:
    """Active enrolments whose young person turns 20 within 30 days (the worklist warning)."""
    last_day = today + datetime.timedelta(days=AGE_OUT_WARNING_DAYS)
    enrolments = (
        Enrolment.objects.visible_to(user)
        .active()
        .filter(_mine(user))
        .filter(
            # The young person is registered in the enrolment's municipality: naming it
            # lets the birth-date range use registry's youth_birth_date_idx.
            youth__municipality_id=F("municipality_id"),
            youth__birth_date__gt=latest_birth_date_turned_20(today),
            youth__birth_date__lte=latest_birth_date_turned_20(last_day),
        )
        .select_related("youth", "coordinator")
        .order_by("youth__birth_date", "pk")
    )
    return [
        AgeingOut(enrolment, twentieth_birthday(enrolment.youth.birth_date))
        for enrolment in enrolments
    ]


@dataclass(frozen=True)
class FollowupSummary:
    flags: list[OverdueFlag]
    flag_count: int
    reminders: list[Reminder]
    reminder_count: int
    ageing_out: list[AgeingOut]


SUMMARY_ROWS = 10


def followup_summary(
    user: User, today: datetime.date, *, flags: bool = True, all_reminders: bool = False
) -> FollowupSummary:
    """What the worklist and dashboard partial shows: a fixed number of queries.

    ``flags=False`` (the worklist, which lists the overdue steps itself) reads no
    flags; ``all_reminders`` ("visa alla") lists every open reminder, not the first ten.
    """
    open_ = open_flags(user) if flags else OverdueFlag.objects.none()
    reminders = open_reminders(user)
    shown = list(reminders if all_reminders else reminders[:SUMMARY_ROWS])
    return FollowupSummary(
        flags=list(open_[:SUMMARY_ROWS]) if flags else [],
        flag_count=open_.count() if flags else 0,
        reminders=shown,
        reminder_count=(
            len(shown) if all_reminders or len(shown) < SUMMARY_ROWS else reminders.count()
        ),
        ageing_out=ageing_out(user, today),
    )


def retention_policy_for(user: User) -> RetentionPolicy:
    """The user's municipality's policy, unsaved with the default when none is set."""
    policy = RetentionPolicy.objects.for_user(user).first()
    return policy or RetentionPolicy(municipality=user.municipality)


def recent_job_runs(user: User, limit: int = 10) -> QuerySet[JobRun]:
    """The scheduled runs and this municipality's own, never another municipality's."""
    return JobRun.objects.filter(
        Q(municipality__isnull=True) | Q(municipality_id=user.municipality_id)
    )[:limit]


def pending_jobs(user: User) -> QuerySet[PendingJob]:
    """The waiting scheduled runs and this municipality's own, never another municipality's."""
    return PendingJob.objects.filter(dispatched_at__isnull=True).filter(
        Q(requested_by__isnull=True) | Q(requested_by__municipality_id=user.municipality_id)
    )
