"""Slots in the register that the apps above it fill in (docs/architecture.md, "Hooks").

The register is the bottom layer and imports no other app. Where one of its
lists shows a fact another app owns, it asks for that fact through a slot
here; the owning app fills the slot in its ``AppConfig.ready()``. Without the
app installed the slot answers a neutral default, so the register works alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import DateField, OuterRef, Value
from django.db.models.expressions import BaseExpression

# Given a reference to an enrolment id, the date contact was established (or NULL).
ContactEstablishedOn = Callable[[OuterRef], BaseExpression]

_contact_established_on: ContactEstablishedOn | None = None


def contact_established_on_provide(source: ContactEstablishedOn) -> None:
    """Fill the slot (casework does, in its ``ready()``)."""
    global _contact_established_on
    _contact_established_on = source


def contact_established_on(enrolment_id: OuterRef) -> BaseExpression:
    """An expression for the day contact was established with the referenced enrolment.

    Used by the youth list's "Nådd" column and filter; NULL when no app filled the slot.
    """
    if _contact_established_on is None:
        return Value(None, output_field=DateField())
    return _contact_established_on(enrolment_id)
