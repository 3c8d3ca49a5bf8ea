"""Key figures computed in the database: one aggregate query per period and a few small ones.

The definitions are in ``reports.key_figures``; this module only expresses them
as querysets. Per period: one aggregate over the enrolments (every count, the
occupation breakdown and, on PostgreSQL, both medians with percentile_cont) and
one population lookup and the IM students on its last day (from the young
people's history); then the per-coordinator table: seven queries. SQLite (the demo) lacks percentile_cont and reads one flat list of
dates per period for the medians instead.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from casework.models import ContactAttempt, Outcome
from registry.models import EndReason, Enrolment, Occupation, Source, User, Youth
from registry.models.youth import OCCUPATION_SCB_CATEGORY, OCCUPATIONS_IN_ACTIVITY

from ..key_figures import (
    CONTACT_GOAL_DAYS,
    CoordinatorLoad,
    KeyFigures,
    Period,
    PeriodFigures,
    median_days,
    school_year_start,
    share,
)
from ..models import PopulationFigure

UNKNOWN_CATEGORY = "unknown"
MEDIAN_FIGURES = ("median_days_to_first_attempt", "median_days_to_contact")


class MedianDays(Aggregate):
    """PostgreSQL: the median of (a date - registered_on) in days, in the same aggregate query.

    A date minus a date is a whole number of days in PostgreSQL.
    """

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY (%(expressions)s))"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, later: str, **extra: Any) -> None:
        super().__init__(F(later), F("registered_on"), **extra)


def _annotated_enrolments(user: User, as_of: datetime.date) -> QuerySet[Enrolment]:
    """The municipality's enrolments with first attempt, contact and latest occupation by ``as_of``."""
    attempts = ContactAttempt.objects.filter(enrolment=OuterRef("pk"), date__lte=as_of)
    first_attempt = attempts.order_by("date").values("date")[:1]
    contact = attempts.filter(outcome=Outcome.REACHED).order_by("date").values("date")[:1]
    latest_occupation = (
        Occupation.objects.filter(enrolment=OuterRef("pk"), from_date__lte=as_of)
        .order_by("-from_date", "-id")
        .values("kind")[:1]
    )
    return (
        Enrolment.objects.for_user(user)
        .annotate(
            first_attempt_on=Subquery(first_attempt, output_field=DateField()),
            contact_on=Subquery(contact, output_field=DateField()),
            latest_kind=Subquery(latest_occupation),
            contact_goal_day=ExpressionWrapper(
                F("registered_on") + datetime.timedelta(days=CONTACT_GOAL_DAYS),
                output_field=DateField(),
            ),
        )
        .order_by()
    )


def im_students_on(user: User, as_of: datetime.date) -> int:
    """Young people of the municipality marked as IM students on ``as_of`` (beside KAA).

    Read from the young people's history (simple-history), so the previous period
    counts those who were IM students then, not those who are now.
    """
    historical = Youth.history.model  # type: ignore[attr-defined]
    cutoff = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    )
    latest = (
        historical.objects.filter(id=OuterRef("id"), history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return int(
        historical.objects.filter(
            municipality_id=user.municipality_id,
            history_date__lt=cutoff,
            history_id=Subquery(latest),
            is_im_student=True,
        )
        .exclude(history_type="-")
        .count()
    )


def _period_figures(user: User, period: Period, *, today: datetime.date) -> PeriodFigures:
    as_of = period.as_of(today)
    enrolments = _annotated_enrolments(user, as_of)
    active = Q(registered_on__lte=as_of) & (Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
    registered = Q(registered_on__gte=period.start, registered_on__lte=period.end)
    judged = registered & Q(registered_on__lte=as_of - datetime.timedelta(days=CONTACT_GOAL_DAYS))
    kinds = list(OCCUPATION_SCB_CATEGORY)
    aggregates: dict[str, Aggregate] = {
        "active": Count("pk", filter=active),
        "active_during": Count(
            "pk",
            filter=Q(registered_on__lte=period.end)
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=period.start)),
        ),
        "new_registrations": Count("pk", filter=registered),
        "dropouts_this_school_year": Count(
            "pk",
            filter=registered
            & Q(source=Source.DROPOUT_NATIONAL_PROGRAMME)
            & Q(registered_on__gte=school_year_start(as_of)),
        ),
        "not_reached": Count("pk", filter=active & Q(contact_on__isnull=True)),
        "judged_4_weeks": Count("pk", filter=judged),
        "reached_within_4_weeks": Count(
            "pk", filter=judged & Q(contact_on__lte=F("contact_goal_day"))
        ),
        "in_activity": Count("pk", filter=active & Q(latest_kind__in=OCCUPATIONS_IN_ACTIVITY)),
        "returned_to_studies": Count(
            "pk",
            filter=Q(
                ended_on__gte=period.start,
                ended_on__lte=period.end,
                end_reason=EndReason.STARTED_UPPER_SECONDARY,
            ),
        ),
        "no_occupation_recorded": Count("pk", filter=active & Q(latest_kind__isnull=True)),
    }
    for kind in kinds:
        aggregates[f"kind:{kind}"] = Count("pk", filter=active & Q(latest_kind=kind))
    aggregates["with_first_attempt"] = Count(
        "pk", filter=registered & Q(first_attempt_on__isnull=False)
    )
    aggregates["with_contact"] = Count("pk", filter=registered & Q(contact_on__isnull=False))
    if connection.vendor == "postgresql":
        aggregates["median_days_to_first_attempt"] = MedianDays(
            "first_attempt_on", filter=registered & Q(first_attempt_on__isnull=False)
        )
        aggregates["median_days_to_contact"] = MedianDays(
            "contact_on", filter=registered & Q(contact_on__isnull=False)
        )
    row = enrolments.aggregate(**aggregates)

    by_occupation: dict[str, int] = {}
    for kind in kinds:
        category = str(OCCUPATION_SCB_CATEGORY[kind])
        by_occupation[category] = by_occupation.get(category, 0) + row.pop(f"kind:{kind}")
    by_occupation[UNKNOWN_CATEGORY] = by_occupation.get(UNKNOWN_CATEGORY, 0) + row.pop(
        "no_occupation_recorded"
    )

    median_counts = {
        "median_days_to_first_attempt": row.pop("with_first_attempt"),
        "median_days_to_contact": row.pop("with_contact"),
    }
    if connection.vendor == "postgresql":
        medians = {code: row.pop(code) for code in MEDIAN_FIGURES}
    else:
        # SQLite (the demo) has no percentile_cont: one flat list of dates instead.
        dates = list(
            enrolments.filter(registered).values_list(  # type: ignore[misc]
                "registered_on", "first_attempt_on", "contact_on"
            )
        )
        medians = {
            "median_days_to_first_attempt": median_days((r[0], r[1]) for r in dates),
            "median_days_to_contact": median_days((r[0], r[2]) for r in dates),
        }
    population = (
        PopulationFigure.objects.for_user(user)
        .filter(as_of__lte=period.end)
        .order_by("-as_of")
        .values_list("count", flat=True)
        .first()
    )
    values: dict[str, int | float | None] = dict(row)
    values["reached_within_4_weeks_share"] = share(
        row["reached_within_4_weeks"], row["judged_4_weeks"]
    )
    values["in_activity_share"] = share(row["in_activity"], row["active"])
    values.update(
        {code: None if value is None else float(value) for code, value in medians.items()}
    )
    values["im_students"] = im_students_on(user, as_of)
    values["population_16_19"] = population
    return PeriodFigures(
        period=period,
        as_of=as_of,
        values=values,
        by_occupation=by_occupation,
        median_counts=median_counts,
    )


def _coordinator_name(row: Mapping[str, Any]) -> str:
    """The coordinator's full name, else the username; "" for the unassigned."""
    if row["coordinator_id"] is None:
        return ""
    full_name = f"{row['coordinator__first_name']} {row['coordinator__last_name']}".strip()
    return full_name or row["coordinator__username"]


def coordinator_loads(user: User, *, today: datetime.date) -> list[CoordinatorLoad]:
    """Today's caseload and overdue routine steps per coordinator (unassigned last)."""
    rows = (
        Enrolment.objects.for_user(user)
        .filter(ended_on__isnull=True)
        .values(
            "coordinator_id",
            "coordinator__username",
            "coordinator__first_name",
            "coordinator__last_name",
        )
        .annotate(
            caseload=Count("pk"),
            overdue=Count("pk", filter=Q(routine_state__overdue_after__lt=today)),
        )
        .order_by("coordinator__last_name", "coordinator__first_name", "coordinator_id")
    )
    loads = [
        CoordinatorLoad(
            coordinator_id=row["coordinator_id"],
            name=_coordinator_name(row),
            caseload=row["caseload"],
            overdue=row["overdue"],
        )
        for row in rows
    ]
    return sorted(loads, key=lambda load: load.coordinator_id is None)


def key_figures(*, user: User, period: Period, today: datetime.date) -> KeyFigures:
    """The period's figures and the previous period's, and today's per-coordinator table."""
    return KeyFigures(
        current=_period_figures(user, period, today=today),
        previous=_period_figures(user, period.previous(), today=today),
        coordinators=coordinator_loads(user, today=today),
    )
