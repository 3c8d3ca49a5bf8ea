"""Writes of the casework app. Each service is atomic and records the acting user."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from registry.models import Municipality, User

from ..models import RoutineSettings
from ..selectors.settings import routine_settings_of
from .routine_state import routine_state_refresh


def routine_settings_for(municipality: Municipality) -> RoutineSettings:
    """The settings to update: the saved row, or the defaults not yet saved (nothing is written)."""
    return routine_settings_of(municipality)


@transaction.atomic
def routine_settings_update(
    *, settings: RoutineSettings, user: User, data: dict[str, Any]
) -> RoutineSettings:
    if settings.pk is None:
        # The first save sets the routine up with the defaults, then records the
        # change, both in the saving user's name (as the settings page's history
        # shows them); opening the page wrote nothing.
        defaults = RoutineSettings(municipality=settings.municipality)
        defaults._history_user = user
        defaults.full_clean()
        defaults.save()
        settings.pk = defaults.pk
        settings._state.adding = False
    for field, value in data.items():
        setattr(settings, field, value)
    settings._history_user = user  # type: ignore[attr-defined]
    settings.full_clean()
    settings.save()
    # Every due date of the municipality moves with its day counts.
    routine_state_refresh(municipality=settings.municipality)
    return settings
