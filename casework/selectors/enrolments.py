"""The enrolments, attempts and states the casework pages and API open, scoped to the user.

Each starts from ``Enrolment.objects.visible_to(user)`` (the municipality,
protected identity): another municipality's or a hidden record answers None
(the callers answer 404, never 403).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from registry.models import Enrolment, User

from ..models import Actor, ContactAttempt, Measure, RoutineState


def visible_enrolment(
    *, user: User, pk: int, related: Iterable[str] = ("youth", "coordinator")
) -> Enrolment | None:
    return Enrolment.objects.visible_to(user).select_related(*related).filter(pk=pk).first()


def enrolment_with_plan(*, user: User, pk: int) -> Enrolment | None:
    """An enrolment with its young person, mapping, plan and measures (the plan API)."""
    return (
        Enrolment.objects.visible_to(user)
        .select_related("youth", "plan", "mapping")
        .prefetch_related("plan__measures__actor")
        .filter(pk=pk)
        .first()
    )


def printable_enrolments(*, user: User, ids: Iterable[int]) -> dict[int, Enrolment]:
    """The enrolments of a letter batch whose letters may be printed (no protected identity)."""
    return (
        Enrolment.objects.visible_to(user)
        .filter(pk__in=list(ids), youth__protected_identity=False)
        .select_related("youth")
        .in_bulk()
    )


def contact_attempt_for_user(*, user: User, pk: int) -> ContactAttempt | None:
    return (
        ContactAttempt.objects.filter(enrolment__in=Enrolment.objects.visible_to(user))
        .select_related("enrolment", "enrolment__youth")
        .filter(pk=pk)
        .first()
    )


def measure_visible(*, user: User, pk: int) -> Measure | None:
    return (
        Measure.objects.select_related("plan__enrolment__youth", "actor")
        .filter(plan__enrolment__in=Enrolment.objects.visible_to(user), pk=pk)
        .first()
    )


def routine_state_of(enrolment: Enrolment) -> RoutineState | None:
    return RoutineState.objects.filter(enrolment=enrolment).first()


def actor_named(*, user: User, value: int | str, keep: Actor | None = None) -> Actor | None:
    """An active actor of the user's municipality by id or name (or the one already chosen)."""
    actors = Actor.objects.for_user(user).filter(
        Q(is_active=True) | Q(pk=keep.pk if keep is not None else None)
    )
    if isinstance(value, int):
        return actors.filter(pk=value).first()
    return actors.filter(name__iexact=value.strip()).first()
