"""What casework adds to the register's list of young people (registry.hooks)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from ..models import RoutineState


def contact_established_on(enrolment_id: OuterRef) -> Subquery:
    """The day contact was established with the referenced enrolment, from RoutineState."""
    return Subquery(
        RoutineState.objects.filter(enrolment_id=enrolment_id).values("contact_established_on")[:1]
    )
