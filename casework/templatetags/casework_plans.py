"""The plan summary shown in each enrolment's block on the young person's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from registry.models import Enrolment

from ..selectors.plans import plan_summaries
from .page_cache import for_page

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_summary(context: template.Context, enrolment: Enrolment) -> dict[str, Any]:
    """Goal, number of measures and missing items of one enrolment's plan.

    Loaded for all the page's enrolments at once (``plan_summaries``).
    """
    return for_page(
        context,
        "casework_plan_summaries",
        enrolment,
        lambda enrolments: plan_summaries(enrolments, today=timezone.localdate()),
    )[enrolment.pk]
