"""``{% measure_outcomes youth as outcomes %}``: what followed each ended measure (one query)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import ScbOccupationCategory

from ..effects import LEFT, NOT_YET_KNOWN, UNKNOWN, UPPER_SECONDARY
from ..selectors.effects import MeasureOutcomes, youth_measure_outcomes

register = template.Library()

OUTCOME_LABELS: dict[str, Any] = {
    **dict(ScbOccupationCategory.choices),
    UPPER_SECONDARY: _("Gymnasieutbildning (lämnat KAA)"),
    UNKNOWN: _("Inskriven, sysselsättning okänd"),
    LEFT: _("Lämnat KAA (annan orsak)"),
    NOT_YET_KNOWN: _("Ännu inte känt"),
}


@register.simple_tag
def measure_outcomes(youth: Any) -> list[dict[str, Any]]:
    found: list[MeasureOutcomes] = youth_measure_outcomes(
        youth_id=youth.pk, today=timezone.localdate()
    )
    return [
        {
            "type_label": item.type_label,
            "ended_on": item.ended_on,
            "outcomes": [
                {
                    "months": months,
                    "code": code,
                    "label": OUTCOME_LABELS.get(code, code),
                    "day": day,
                    "is_pending": code == NOT_YET_KNOWN,
                }
                for months, code, day in item.outcomes
            ],
        }
        for item in found
    ]
