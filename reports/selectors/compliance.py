"""Routine compliance for the enrolments active in a period, or a reproducible sample of them.

Loads everything set-based as plain values (five queries for any number of
enrolments: the period's enrolments, their stored routine states, mappings,
plans and measures), takes the contact deviations on the period's last day
from the stored schedule of ``casework.routine`` (the enrolments it cannot
answer for are evaluated afresh from ``casework.selectors.routine_facts``),
the plan's missing items from ``casework.completeness``, and rates each
enrolment with ``reports.compliance``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from casework import routine
from casework.models import Mapping, RoutineState
from casework.selectors.plans import plan_facts_by_enrolment
from casework.selectors.routine_facts import routine_facts_for
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


def active_in_period_of(municipality_ids: list[int], period: Period) -> QuerySet[Enrolment]:
    """The same enrolments for several municipalities (the regional figures; no person read)."""
    return (
        Enrolment.objects.filter(municipality_id__in=municipality_ids)
        .filter(registered_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=period.start))
    )


def is_documented(mapping: Mapping | None) -> bool:
    """A mapping counts once it holds a date or any text."""
    if mapping is None:
        return False
    return _documented(mapping.date, [getattr(mapping, name) for name in MAPPING_TEXT_FIELDS])


def _documented(date: datetime.date | None, texts: list[str]) -> bool:
    return date is not None or any(text.strip() for text in texts)


def compliance(
    *,
    user: User,
    period: Period,
    today: datetime.date,
    sample: int | None = None,
    seed: int | None = None,
) -> ComplianceResult:
    as_of = period.as_of(today)
    active = active_in_period(user, period)
    ids = list(active.values_list("pk", flat=True))
    chosen = draw_sample(ids, sample, seed or 0) if sample is not None else sorted(ids)
    # All cases: the period's queryset as a subquery rather than a list of ids.
    scope: QuerySet[Enrolment] | list[int] = chosen if sample is not None else active
    return ComplianceResult(
        period=period,
        as_of=as_of,
        total=len(ids),
        sample=sample,
        seed=seed if sample is not None else None,
        cases=_rate(scope, chosen, as_of),
    )


def rate_enrolments(
    chosen: list[int],
    as_of: datetime.date,
    days_by_municipality: dict[int, routine.RoutineDays] | None = None,
    default_days: routine.RoutineDays | None = None,
) -> list[tuple[int, CaseRating]]:
    """Rate the enrolments ``chosen`` on ``as_of``: (municipality id, rating) each, set-based.

    The routine is read with each enrolment's own municipality's day counts
    (the stored schedule and ``routine_facts_for`` both use them), which is
    what callers pass as ``days_by_municipality`` (the defaults where a
    municipality has set none); the two arguments are kept for them.
    """
    municipality = dict(
        Enrolment.objects.filter(pk__in=chosen).values_list("pk", "municipality_id")
    )
    return [(municipality[case.enrolment_id], case) for case in _rate(chosen, chosen, as_of)]


def rate_scope(scope: QuerySet[Enrolment], as_of: datetime.date) -> list[tuple[int, CaseRating]]:
    """Rate every enrolment of ``scope`` on ``as_of``: (municipality id, rating) each.

    As ``rate_enrolments``, but the scope stays a subquery in the few set-based
    queries of ``_rate`` instead of a list of ids sent back to the database.
    """
    municipality = dict(scope.order_by().values_list("pk", "municipality_id"))
    chosen = sorted(municipality)
    return [(municipality[case.enrolment_id], case) for case in _rate(scope, chosen, as_of)]


def _rate(
    scope: QuerySet[Enrolment] | list[int], chosen: list[int], as_of: datetime.date
) -> list[CaseRating]:
    """Each of ``chosen`` rated on ``as_of`` (four queries; ``scope`` selects the same ones)."""
    contact = _contact_on(scope, chosen, as_of)
    mapped = _documented_mappings(scope)
    plans = plan_facts_by_enrolment(scope)
    cases = []
    # Without a plan a case's rating depends only on its contact and whether it is
    # mapped: each such kind is rated once and its (read-only) answer shared.
    planless: dict[tuple[Contact, bool], CaseRating] = {}
    for enrolment_id in chosen:
        attempt_count, deviations = found = contact[enrolment_id]
        plan = plans.get(enrolment_id)
        has_mapping = enrolment_id in mapped
        if plan is None:
            kind = planless.get((found, has_mapping))
            if kind is None:
                kind = planless[(found, has_mapping)] = rate_case(
                    CaseFacts(0, attempt_count, deviations, has_mapping, None), today=as_of
                )
            cases.append(CaseRating(enrolment_id, kind.ratings, kind.reasons))
            continue
        facts = CaseFacts(
            enrolment_id=enrolment_id,
            attempt_count=attempt_count,
            deviations=deviations,
            has_mapping=has_mapping,
            plan=plan,
        )
        cases.append(rate_case(facts, today=as_of))
    return cases


# Whether attempts were made by the day (0 or 1) and the attempt deviations held then.
Contact = tuple[int, tuple[str, ...]]


def _contact_on(
    scope: QuerySet[Enrolment] | list[int], chosen: list[int], as_of: datetime.date
) -> dict[int, Contact]:
    """Per enrolment: whether attempts were made by ``as_of`` and the attempt deviations then.

    Read from the stored RoutineState, whose schedule answers the attempt
    deviations on an earlier day (``routine.Schedule.contact_deviations_on``,
    tied to ``routine.evaluate`` in the routine's tests). That answer depends
    only on the stored deviations and on whether the first attempt and the
    ladder's home visit were made by ``as_of``, so one query groups the states
    by those three and the rule runs once per group. An enrolment without a
    stored state, or with one stored before it held the ladder's home visit,
    is evaluated afresh from ``routine_facts_for``.
    """
    ids: Any = scope.order_by().values("pk") if isinstance(scope, QuerySet) else scope
    states = RoutineState.objects.filter(enrolment_id__in=ids)
    flagged = states.annotate(
        made=ExpressionWrapper(Q(first_attempt_on__lte=as_of), output_field=BooleanField()),
        visited=ExpressionWrapper(Q(home_visit_on__lte=as_of), output_field=BooleanField()),
    ).order_by()
    groups: Iterable[tuple[Any, Any, list[str], list[int]]]
    if connection.vendor == "postgresql":
        groups = flagged.values_list("made", "visited", "deviations").annotate(
            ids=ArrayAgg("enrolment_id")
        )
    else:
        # SQLite (the demo) has no ARRAY_AGG: the same groups made in Python.
        grouped: dict[tuple[Any, Any, tuple[str, ...]], list[int]] = defaultdict(list)
        for enrolment_id, made, visited, deviations in flagged.values_list(
            "enrolment_id", "made", "visited", "deviations"
        ):
            grouped[(made, visited, tuple(deviations))].append(enrolment_id)
        groups = [(made, visited, list(dev), ids) for (made, visited, dev), ids in grouped.items()]
    contact: dict[int, Contact] = {}
    for made, visited, deviations, ids in groups:
        # visited is NULL when no ladder visit is stored: stale if it should be there.
        if visited is None and routine.HOME_VISIT_LATE in deviations:
            continue
        later = as_of + datetime.timedelta(days=1)
        held = routine.Schedule(
            contact_established_on=None,
            first_attempt_on=as_of if made else None,
            next_step=None,
            next_due=None,
            overdue_after=None,
            deviations=deviations,
            no_attempt_deviation_after=None,
            home_visit_on=as_of if visited else later,
        ).contact_deviations_on(as_of)
        found: Contact = (0, ()) if held is None else (1, tuple(held))
        contact.update(dict.fromkeys(ids, found))
    missing = [enrolment_id for enrolment_id in chosen if enrolment_id not in contact]
    if missing:
        for enrolment_id, facts in routine_facts_for(missing, attempts_until=as_of).items():
            result = facts.evaluate(as_of)
            contact[enrolment_id] = (
                (1, tuple(c for c in result.deviations if c in routine.CONTACT_ATTEMPT_DEVIATIONS))
                if result.attempt_count
                else (0, ())
            )
    return contact


def _documented_mappings(scope: QuerySet[Enrolment] | list[int]) -> set[int]:
    """The enrolments whose mapping is documented (``is_documented``), one query."""
    enrolment_filter = (
        {"enrolment_id__in": scope.order_by().values("pk")}
        if isinstance(scope, QuerySet)
        else {"enrolment_id__in": scope}
    )
    return {
        row["enrolment_id"]
        for row in Mapping.objects.filter(**enrolment_filter).values(
            "enrolment_id", "date", *MAPPING_TEXT_FIELDS
        )
        if _documented(row["date"], [row[name] for name in MAPPING_TEXT_FIELDS])
    }


def cases_with_youth(user: User, enrolment_ids: list[int]) -> dict[int, Enrolment]:
    """The enrolments behind a compliance cell with their young person, for the manager's list."""
    return {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.visible_to(user)
        .filter(pk__in=enrolment_ids)
        .select_related("youth", "coordinator")
    }
