"""The plan summary shown in each enrolment's block on the young person's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from registry.models import Enrolment

from ..completeness import missing_items
from ..models import Mapping, Plan
from ..selectors.plans import facts_from_plan

register = template.Library()


@register.simple_tag
def plan_summary(enrolment: Enrolment) -> dict[str, Any]:
    """Goal, number of measures and missing items of one enrolment's plan (three queries)."""
    plan = Plan.objects.filter(enrolment=enrolment).prefetch_related("measures__actor").first()
    measures = list(plan.measures.all()) if plan else []
    return {
        "plan": plan,
        "mapping": Mapping.objects.filter(enrolment=enrolment).first(),
        "measure_count": len(measures),
        "active_count": sum(1 for measure in measures if measure.ended_on is None),
        "missing": missing_items(facts_from_plan(plan), today=timezone.localdate()),
    }
