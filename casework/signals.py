"""Keep RoutineState current when what the routine reads changes outside the contact services."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from registry.models import Enrolment, Occupation, Youth
from registry.signals import enrolments_registered

from .models import LetterPrintJob, RoutineState
from .services.routine_state import routine_state_refresh


@receiver(post_save, sender=Enrolment, dispatch_uid="casework_routine_state_enrolment")
def enrolment_saved(sender: Any, instance: Enrolment, **kwargs: Any) -> None:
    """A new enrolment gets its first step; an ended one loses its next step."""
    if kwargs.get("raw"):
        return
    routine_state_refresh(enrolment_ids=[instance.pk])


@receiver(enrolments_registered, dispatch_uid="casework_routine_state_enrolments_registered")
def enrolments_registered_in_bulk(sender: Any, enrolment_ids: list[int], **kwargs: Any) -> None:
    """The import writes enrolments in bulk (no post_save): each gets its first step."""
    routine_state_refresh(enrolment_ids=enrolment_ids)


@receiver(post_save, sender=Occupation, dispatch_uid="casework_routine_state_occupation")
def occupation_changed(sender: Any, instance: Occupation, **kwargs: Any) -> None:
    """occupation_unknown_at_end reads the latest occupation of an ended enrolment."""
    if kwargs.get("raw"):
        return
    if Enrolment.objects.filter(pk=instance.enrolment_id, ended_on__isnull=False).exists():
        routine_state_refresh(enrolment_ids=[instance.enrolment_id])


@receiver(post_delete, sender=LetterPrintJob, dispatch_uid="casework_letter_print_file")
def letter_print_job_deleted(sender: Any, instance: LetterPrintJob, **kwargs: Any) -> None:
    """A deleted print run (or its job) takes its stored PDF along: it holds addresses."""
    if instance.pdf:
        instance.pdf.delete(save=False)


@receiver(post_save, sender=Youth, dispatch_uid="casework_routine_state_youth")
def youth_saved(sender: Any, instance: Youth, **kwargs: Any) -> None:
    """RoutineState keeps a copy of protected identity for the worklist's counts."""
    if kwargs.get("raw"):
        return
    RoutineState.objects.filter(enrolment__youth=instance).exclude(
        protected_identity=instance.protected_identity
    ).update(protected_identity=instance.protected_identity)
