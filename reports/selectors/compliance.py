"""Routine compliance for the enrolments active in a period, or a reproducible sample of them.

Loads everything set-based (a fixed number of queries for any number of
enrolments), runs ``casework.routine.evaluate`` on the period's last day for
the contact deviations and ``casework.completeness`` for the plan, and rates
each enrolment with ``reports.compliance``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from casework import routine
from casework.models import ContactAttempt, Mapping, Measure, RoutineSettings
from casework.selectors.plans import facts_from_plan
from registry.models import Enrolment, User

from ..compliance import (
    CONTACT,
    MEETS,
    CaseFacts,
    CaseRating,
    draw_sample,
    rate_case,
    summarise,
)
from ..key_figures import Period, share

MAPPING_TEXT_FIELDS = ("situation", "interests", "needs", "obstacles", "own_goal")


@dataclass(frozen=True)
class ComplianceResult:
    period: Period
    as_of: datetime.date
    total: int  # enrolments active in the period
    sample: int | None
    seed: int | None
    cases: list[CaseRating]

    @property
    def areas(self) -> dict[str, dict[str, int]]:
        return summarise(self.cases)

    def contact_meets(self) -> tuple[float | None, int]:
        """The share (%) of rated cases whose contact meets the routine, and that count."""
        meets = self.areas[CONTACT][MEETS]
        return share(meets, len(self.cases)), meets


def active_in_period(user: User, period: Period) -> QuerySet[Enrolment]:
    """Enrolments active some day of the period (as the key figure ``active_during``)."""
    return (
        Enrolment.objects.for_user(user)
        .filter(registered_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=period.start))
    )


def is_documented(mapping: Mapping | None) -> bool:
    """A mapping counts once it holds a date or any text."""
    if mapping is None:
        return False
    return mapping.date is not None or any(
        getattr(mapping, name).strip() for name in MAPPING_TEXT_FIELDS
    )


def compliance(
    *,
    user: User,
    period: Period,
    today: datetime.date,
    sample: int | None = None,
    seed: int | None = None,
) -> ComplianceResult:
    as_of = period.as_of(today)
    ids = list(active_in_period(user, period).values_list("pk", flat=True))
    chosen = draw_sample(ids, sample, seed or 0) if sample is not None else sorted(ids)
    days = routine.RoutineDays.from_settings(RoutineSettings.objects.for_user(user).first())
    return ComplianceResult(
        period=period,
        as_of=as_of,
        total=len(ids),
        sample=sample,
        seed=seed if sample is not None else None,
        cases=[rating for _municipality, rating in rate_enrolments(chosen, as_of, {}, days)],
    )


def rate_enrolments(
    chosen: list[int],
    as_of: datetime.date,
    days_by_municipality: dict[int, routine.RoutineDays],
    default_days: routine.RoutineDays,
) -> list[tuple[int, CaseRating]]:
    """Rate the enrolments ``chosen`` on ``as_of``: (municipality id, rating) each, set-based."""
    enrolments = list(
        Enrolment.objects.filter(pk__in=chosen)
        .select_related("mapping", "plan")
        .prefetch_related(
            Prefetch("plan__measures", queryset=Measure.objects.select_related("actor"))
        )
        .order_by("pk")
    )
    attempts: dict[int, list[routine.Attempt]] = defaultdict(list)
    for enrolment_id, day, channel, outcome in (
        ContactAttempt.objects.filter(enrolment_id__in=chosen, date__lte=as_of)
        .order_by("enrolment_id", "date", "pk")
        .values_list("enrolment_id", "date", "channel", "outcome")
    ):
        attempts[enrolment_id].append(routine.Attempt(day, channel, outcome))
    cases = []
    for enrolment in enrolments:
        result = routine.evaluate(
            registered_on=enrolment.registered_on,
            ended_on=enrolment.ended_on,
            attempts=attempts[enrolment.pk],
            days=days_by_municipality.get(enrolment.municipality_id, default_days),
            as_of=as_of,
        )
        facts = CaseFacts(
            enrolment_id=enrolment.pk,
            attempt_count=len(attempts[enrolment.pk]),
            deviations=result.deviations,
            has_mapping=is_documented(getattr(enrolment, "mapping", None)),
            plan=facts_from_plan(getattr(enrolment, "plan", None)),
        )
        cases.append((enrolment.municipality_id, rate_case(facts, today=as_of)))
    return cases


def cases_with_youth(user: User, enrolment_ids: list[int]) -> dict[int, Enrolment]:
    """The enrolments behind a compliance cell with their young person, for the manager's list."""
    return {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.visible_to(user)
        .filter(pk__in=enrolment_ids)
        .select_related("youth", "coordinator")
    }
