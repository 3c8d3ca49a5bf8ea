"""Writes of the casework app. Each service is atomic and records the acting user."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from registry.models import Municipality, User

from ..models import RoutineSettings
from .routine_state import routine_state_refresh


def routine_settings_for(municipality: Municipality) -> RoutineSettings:
    settings, _created = RoutineSettings.objects.get_or_create(municipality=municipality)
    return settings


@transaction.atomic
def routine_settings_update(
    *, settings: RoutineSettings, user: User, data: dict[str, Any]
) -> RoutineSettings:
    for field, value in data.items():
        setattr(settings, field, value)
    settings._history_user = user  # type: ignore[attr-defined]
    settings.full_clean()
    settings.save()
    # Every due date of the municipality moves with its day counts.
    routine_state_refresh(municipality=settings.municipality)
    return settings
