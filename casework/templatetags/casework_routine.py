"""``{% contact_section enrolment as section %}`` for the contact section partial."""

from __future__ import annotations

from typing import Any

from django import template

from ..contact_section import contact_section as build_contact_section

register = template.Library()


@register.simple_tag(takes_context=True)
def contact_section(context: dict[str, Any], enrolment: Any, form: Any = None) -> dict[str, Any]:
    return build_contact_section(enrolment=enrolment, user=context["user"], form=form or None)
