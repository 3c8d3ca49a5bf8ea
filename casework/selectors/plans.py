"""Reads of mappings, plans and measures, scoped to the user's municipality and role."""

from __future__ import annotations

from ..completeness import MeasureFacts, PlanFacts
from ..models import Measure, Plan


def measure_facts(measure: Measure) -> MeasureFacts:
    return MeasureFacts(
        responsible=measure.responsible,
        actor_name=measure.actor.name if measure.actor_id else "",
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
