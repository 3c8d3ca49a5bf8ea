"""Reads of the registry app. Every query starts from ``for_user`` / ``visible_to``."""

from __future__ import annotations

from django.http import Http404

from .models import Enrolment, User, Youth


def youth_get(*, user: User, pk: int) -> Youth:
    """A young person this user may see, or 404 (another municipality, or protected)."""
    youth = Youth.objects.visible_to(user).filter(pk=pk).select_related("municipality").first()
    if youth is None:
        raise Http404
    return youth


def enrolment_get(*, user: User, pk: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("youth", "coordinator", "municipality")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def address_visible_ids(*, user: User, youths: list[Youth]) -> set[int]:
    """The young people in ``youths`` whose address this user may see, in one query.

    A protected address is shown only to the assigned coordinator (DOMAIN.md).
    """
    protected = [youth.pk for youth in youths if youth.protected_identity]
    visible = {youth.pk for youth in youths if not youth.protected_identity}
    if protected:
        visible |= set(
            Enrolment.objects.filter(youth_id__in=protected, coordinator=user).values_list(
                "youth_id", flat=True
            )
        )
    return visible
