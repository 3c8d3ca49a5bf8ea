"""Load what a partial shows for every enrolment of the page at once, not per enrolment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import template

from registry.models import Enrolment


def for_page(
    context: template.Context,
    key: str,
    enrolment: Enrolment,
    load: Callable[[list[Enrolment]], dict[int, Any]],
) -> dict[int, Any]:
    """``load``'s answer for the page's enrolments, computed once per rendering.

    The page's enrolments are the context's ``enrolments`` when it holds this
    one (the young person's page), otherwise just this one. The answer is kept
    in the render context's bottom level (as ``{% include %}`` keeps its
    templates), which lives as long as one rendering of the page, includes
    and all.
    """
    store = cast(dict[str, Any], context.render_context.dicts[0])
    cache = store.get(key)
    if cache is None or enrolment.pk not in cache:
        page = [e for e in context.get("enrolments") or [] if isinstance(e, Enrolment)]
        if enrolment.pk not in {e.pk for e in page}:
            page = [enrolment]
        cache = {**(cache or {}), **load(page)}
        store[key] = cache
    return cache
