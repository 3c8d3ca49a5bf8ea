"""Demo data for the follow-up jobs: run the flag and reminder jobs once for the demo municipality.

Idempotent: the jobs are (a second run opens and resolves nothing). Works on SQLite.
"""

from __future__ import annotations

from django.utils import timezone

from registry.models import Municipality, User

from .services.flags import overdue_flags_sync
from .services.reminders import reminders_sync
from .tasks import refresh_routine_state


def seed(municipality: Municipality, users: dict[str, User]) -> str:
    today = timezone.localdate()
    refresh_routine_state(today=today, municipality=municipality)
    flags = overdue_flags_sync(today=today, municipality=municipality)
    reminders = reminders_sync(today=today, municipality=municipality)
    return f"{flags.opened} försenade steg och {reminders.opened} påminnelser flaggade"
