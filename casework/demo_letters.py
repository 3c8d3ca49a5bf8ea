"""Demo letters: the municipality's templates (the default texts) and an invented letterhead.

Called from ``casework.demo.seed``. Idempotent: templates are created once per
kind, and a letterhead already filled in is left alone. Works on SQLite.
"""

from __future__ import annotations

from registry.models import Municipality, User

from .services.letters import letter_templates_for, letterhead_for, letterhead_update

DEMO_LETTERHEAD = {
    "sender": "Kommunala aktivitetsansvaret, Utbildningsförvaltningen",
    "address": "Box 000, 999 99 Demostad",
    "phone": "000-12 34 56",
    "email": "kaa@demokommunen.invalid",
}


def seed(municipality: Municipality, users: dict[str, User]) -> str:
    templates = letter_templates_for(municipality)
    letterhead = letterhead_for(municipality)
    if not letterhead.phone:
        letterhead_update(user=users["chef"], letterhead=letterhead, data=DEMO_LETTERHEAD)
        return f"{len(templates)} brevmallar och ett brevhuvud"
    return ""
