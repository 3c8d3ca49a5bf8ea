"""Template tags that put the follow-up partials on other apps' pages (worklist, dashboard).

``{% load followup %}{% followup_summary %}`` and ``{% ageing_out_warning %}``
read ``user`` from the page's context; nothing is needed in the view.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()


@register.inclusion_tag("followup/partials/flags_summary.html", takes_context=True)
def followup_summary(context: dict[str, Any], show_flags: bool = True) -> dict[str, Any]:
    """Overdue flags, reminders and the age-out warning; ``show_flags=False`` on the worklist,
    which lists the overdue steps itself."""
    user = context["user"]
    request = context.get("request")
    all_reminders = request is not None and request.GET.get(ALL_REMINDERS_PARAM) == "alla"
    return {
        "summary": selectors.followup_summary(
            user, timezone.localdate(), flags=show_flags, all_reminders=all_reminders
        ),
        "user": user,
        "show_flags": show_flags,
        "all_reminders_url": _with_param(request, ALL_REMINDERS_PARAM, "alla"),
        "all_reminders": all_reminders,
    }


# ``?paminnelser=alla`` lists every open reminder ("visa alla").
ALL_REMINDERS_PARAM = "paminnelser"


def _with_param(request: Any, name: str, value: str) -> str:
    if request is None:
        return f"?{name}={value}"
    query = request.GET.copy()
    query[name] = value
    return f"?{query.urlencode()}"


@register.inclusion_tag("followup/partials/ageing_out.html", takes_context=True)
def ageing_out_warning(context: dict[str, Any]) -> dict[str, Any]:
    user = context["user"]
    return {"ageing_out": selectors.ageing_out(user, timezone.localdate())}


@register.filter
def step_label(code: str) -> str:
    from ..labels import step_label as label

    return label(code)


@register.filter
def job_label(name: str) -> str:
    from ..labels import job_label as label

    return label(name)


@register.filter
def job_result(result: dict) -> str:
    from ..labels import job_result as describe

    return describe(result)
