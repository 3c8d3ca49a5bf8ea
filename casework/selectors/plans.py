"""Reads of mappings, plans and measures, scoped to the user's municipality and role."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from registry.models import Enrolment, Occupation, User

from ..completeness import MeasureFacts, PlanFacts, missing_items
from ..models import Actor, Mapping, Measure, Plan


def measure_facts(measure: Measure) -> MeasureFacts:
    return MeasureFacts(
        responsible=measure.responsible,
        actor_name=measure.actor.name if measure.actor is not None else "",
        starts_on=measure.starts_on,
        ends_on=measure.ends_on,
        follow_up_on=measure.follow_up_on,
        evaluate_on=measure.evaluate_on,
        ended_on=measure.ended_on,
        end_reason=measure.end_reason,
        # A chosen result (achieved / partly / not achieved) is a written evaluation too.
        evaluation=measure.evaluation.strip() or measure.evaluation_result,
    )


def facts_from_plan(plan: Plan | None) -> PlanFacts | None:
    """The plan as ``casework.completeness`` reads it; None stays None (no plan yet).

    Prefetch ``measures__actor`` when calling this for many plans.
    """
    if plan is None:
        return None
    return PlanFacts(
        goal=plan.goal,
        planning=plan.planning,
        measures=tuple(measure_facts(measure) for measure in plan.measures.all()),
    )


@dataclass(frozen=True)
class PlanRow:
    """One enrolment in a list of plans, with the numbers of its missing items."""

    enrolment: Enrolment
    plan: Plan | None
    mapping: Mapping | None
    missing: list[int]

    @property
    def missing_count(self) -> int:
        return len(self.missing)


def _plan_or_none(enrolment: Enrolment) -> Plan | None:
    try:
        return enrolment.plan
    except Plan.DoesNotExist:
        return None


def _mapping_or_none(enrolment: Enrolment) -> Mapping | None:
    try:
        return enrolment.mapping
    except Mapping.DoesNotExist:
        return None


def enrolment_for_plan(*, user: User, pk: int) -> Enrolment:
    """The enrolment whose plan the user may see, or 404 (other municipality, protected)."""
    return get_object_or_404(
        Enrolment.objects.visible_to(user)
        .select_related("youth", "coordinator", "plan", "mapping")
        .prefetch_related(
            Prefetch(
                "plan__measures",
                queryset=Measure.objects.select_related("actor").order_by(
                    F("starts_on").asc(nulls_last=True), "id"
                ),
            )
        ),
        pk=pk,
    )


def measure_for_user(*, user: User, pk: int) -> Measure:
    enrolments = Enrolment.objects.visible_to(user)
    return get_object_or_404(
        Measure.objects.select_related("plan__enrolment__youth", "actor").filter(
            plan__enrolment__in=enrolments
        ),
        pk=pk,
    )


def plan_of(enrolment: Enrolment) -> Plan | None:
    return _plan_or_none(enrolment)


def mapping_of(enrolment: Enrolment) -> Mapping | None:
    return _mapping_or_none(enrolment)


def recent_occupations(enrolment: Enrolment, count: int = 5) -> list[Occupation]:
    """The enrolment's latest occupations as the plan page lists them (its default order)."""
    return list(enrolment.occupations.all()[:count])


def plan_missing(enrolment: Enrolment, *, today: datetime.date) -> list[int]:
    return missing_items(facts_from_plan(_plan_or_none(enrolment)), today=today)


def actors_for_choice(*, municipality_id: int, keep: Actor | None = None) -> QuerySet[Actor]:
    """The municipality's active actors, plus one already chosen even if deactivated."""
    condition = Q(is_active=True)
    if keep is not None:
        condition |= Q(pk=keep.pk)
    return Actor.objects.filter(condition, municipality_id=municipality_id).order_by("name")


def actors_for_user(user: User) -> QuerySet[Actor]:
    return Actor.objects.for_user(user).order_by("-is_active", "name")


def plan_rows(*, user: User, today: datetime.date, only_missing: bool = False) -> list[PlanRow]:
    """The active enrolments the user may see, each with its plan's missing items.

    Three queries whatever the number of rows (enrolments with youth and plan,
    measures, actors); the seven-item rule runs in Python on the prefetched rows.
    """
    enrolments = (
        Enrolment.objects.visible_to(user)
        .active()
        .select_related("youth", "coordinator", "plan", "mapping")
        .prefetch_related(
            Prefetch("plan__measures", queryset=Measure.objects.select_related("actor"))
        )
        .order_by("youth__last_name", "youth__first_name", "pk")
    )
    if user.role == "coordinator":
        enrolments = enrolments.filter(Q(coordinator=user) | Q(coordinator__isnull=True))
    rows = [
        PlanRow(
            enrolment=enrolment,
            plan=_plan_or_none(enrolment),
            mapping=_mapping_or_none(enrolment),
            missing=plan_missing(enrolment, today=today),
        )
        for enrolment in enrolments
    ]
    if only_missing:
        rows = [row for row in rows if row.missing]
    return rows


def plan_facts_by_enrolment(
    enrolments: QuerySet[Enrolment] | Iterable[int],
) -> dict[int, PlanFacts]:
    """The plan of each enrolment that has one, as ``casework.completeness`` reads it.

    Two queries of plain values however many enrolments (plans, measures);
    ``enrolments`` is a queryset (used as a subquery) or enrolment ids.
    """
    scope: Any = (  # a subquery of ids, or the ids
        enrolments.order_by().values("pk") if isinstance(enrolments, QuerySet) else list(enrolments)
    )
    plans = {
        row["id"]: row
        for row in Plan.objects.filter(enrolment_id__in=scope).values(
            "id", "enrolment_id", "goal", "planning"
        )
    }
    measures: dict[int, list[MeasureFacts]] = {}
    for (
        plan_id,
        responsible,
        actor_name,
        starts_on,
        ends_on,
        follow_up_on,
        evaluate_on,
        ended_on,
        end_reason,
        evaluation_result,
        evaluation,
    ) in (
        Measure.objects.filter(plan__enrolment_id__in=scope)
        .order_by("starts_on", "id")
        .values_list(
            "plan_id",
            "responsible",
            "actor__name",
            "starts_on",
            "ends_on",
            "follow_up_on",
            "evaluate_on",
            "ended_on",
            "end_reason",
            "evaluation_result",
            "evaluation",
        )
    ):
        measures.setdefault(plan_id, []).append(
            MeasureFacts(
                responsible=responsible,
                actor_name=actor_name or "",
                starts_on=starts_on,
                ends_on=ends_on,
                follow_up_on=follow_up_on,
                evaluate_on=evaluate_on,
                ended_on=ended_on,
                end_reason=end_reason,
                # As ``measure_facts``: a chosen result is a written evaluation too.
                evaluation=evaluation.strip() or evaluation_result,
            )
        )
    return {
        plan["enrolment_id"]: PlanFacts(
            goal=plan["goal"],
            planning=plan["planning"],
            measures=tuple(measures.get(plan_id, ())),
        )
        for plan_id, plan in plans.items()
    }


def missing_by_enrolment(
    *, enrolment_ids: Iterable[int], today: datetime.date
) -> dict[int, list[int]]:
    """Skolverket's missing items for many enrolments at once (reports, lists).

    Two queries of plain values however many enrolments, then the same pure
    rule as the plan page (``casework.completeness.missing_items``), so the two
    cannot drift apart. An enrolment without a plan misses 1-5 and 7 (not 6).
    """
    ids = list(enrolment_ids)
    plans = plan_facts_by_enrolment(ids)
    return {
        enrolment_id: missing_items(plans.get(enrolment_id), today=today) for enrolment_id in ids
    }


def plan_summaries(
    enrolments: Iterable[Enrolment], *, today: datetime.date
) -> dict[int, dict[str, Any]]:
    """Goal, measure counts, mapping and missing items of each enrolment's plan, by id.

    Four queries for any number of enrolments (plans, their measures, the
    measures' actors, mappings).
    """
    ids = [enrolment.pk for enrolment in enrolments]
    plans = {
        plan.enrolment_id: plan
        for plan in Plan.objects.filter(enrolment_id__in=ids).prefetch_related("measures__actor")
    }
    mappings = {
        mapping.enrolment_id: mapping for mapping in Mapping.objects.filter(enrolment_id__in=ids)
    }
    summaries = {}
    for enrolment_id in ids:
        plan = plans.get(enrolment_id)
        measures = list(plan.measures.all()) if plan else []
        summaries[enrolment_id] = {
            "plan": plan,
            "mapping": mappings.get(enrolment_id),
            "measure_count": len(measures),
            "active_count": sum(1 for measure in measures if measure.ended_on is None),
            "missing": missing_items(facts_from_plan(plan), today=today),
        }
    return summaries
