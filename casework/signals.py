"""Keep RoutineState current when what the routine reads changes outside the contact services."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from registry.models import Enrolment, Occupation, Youth

from .models import RoutineState
from .services.routine_state import routine_state_refresh


@receiver(post_save, sender=Enrolment, dispatch_uid="casework_routine_state_enrolment")
def enrolment_saved(sender: Any, instance: Enrolment, **kwargs: Any) -> None:
    """A new enrolment gets its first step; an ended one loses its next step."""
    if kwargs.get("raw"):
        return
    routine_state_refresh(enrolment_ids=[instance.pk])


@receiver(post_save, sender=Occupation, dispatch_uid="casework_routine_state_occupation")
def occupation_changed(sender: Any, instance: Occupation, **kwargs: Any) -> None:
    """occupation_unknown_at_end reads the latest occupation of an ended enrolment."""
    if kwargs.get("raw"):
        return
    if Enrolment.objects.filter(pk=instance.enrolment_id, ended_on__isnull=False).exists():
        routine_state_refresh(enrolment_ids=[instance.enrolment_id])


@receiver(post_save, sender=Youth, dispatch_uid="casework_routine_state_youth")
def youth_saved(sender: Any, instance: Youth, **kwargs: Any) -> None:
    """RoutineState keeps a copy of protected identity for the worklist's counts."""
    if kwargs.get("raw"):
        return
    RoutineState.objects.filter(enrolment__youth=instance).exclude(
        protected_identity=instance.protected_identity
    ).update(protected_identity=instance.protected_identity)
