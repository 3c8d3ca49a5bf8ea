"""Reads of contact attempts for the pages and the API (the routine's inputs: ``routine_facts``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from registry.models import Enrolment

from ..models import ContactAttempt


def contact_attempts_of(enrolment: Enrolment) -> QuerySet[ContactAttempt]:
    """An enrolment's attempts, oldest first (the API's list)."""
    return ContactAttempt.objects.filter(enrolment=enrolment).order_by("date", "pk")


def contact_attempts_shown(enrolment_ids: Iterable[int]) -> dict[int, list[ContactAttempt]]:
    """The attempts of each enrolment, newest first, as the contact section lists them.

    One query for any number of enrolments; each attempt carries
    ``was_edited`` (an edited attempt has more than one version in its history).
    """
    history = ContactAttempt.history.model
    versions = (
        history.objects.filter(id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(n=Count("history_id"))
        .values("n")
    )
    shown: dict[int, list[ContactAttempt]] = defaultdict(list)
    for attempt in (
        ContactAttempt.objects.filter(enrolment_id__in=list(enrolment_ids))
        .select_related("recorded_by")
        .annotate(versions=Coalesce(Subquery(versions, output_field=IntegerField()), 0))
        .order_by("-date", "-pk")
    ):
        attempt.was_edited = attempt.versions > 1  # type: ignore[attr-defined]
        shown[attempt.enrolment_id].append(attempt)
    return shown
