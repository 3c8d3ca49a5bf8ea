"""``{% contact_section enrolment as section %}`` for the contact section partial.

On a page that lists several enrolments (the young person's page passes
``enrolments``), the first call loads the sections of all of them at once
(``contact_sections``: a fixed number of queries) and the others read them.
"""

from __future__ import annotations

from typing import Any

from django import template

from ..contact_section import contact_sections
from .page_cache import for_page

register = template.Library()


@register.simple_tag(takes_context=True)
def contact_section(context: template.Context, enrolment: Any, form: Any = None) -> dict[str, Any]:
    sections = for_page(
        context,
        "casework_contact_sections",
        enrolment,
        lambda enrolments: contact_sections(enrolments=enrolments, user=context["user"]),
    )
    section = dict(sections[enrolment.pk])
    if form:
        section["form"] = form
    return section
