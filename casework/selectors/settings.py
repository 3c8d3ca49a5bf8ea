"""The municipality's routine settings, letter templates and letterhead, read without writing.

A municipality that has not saved its own yet gets unsaved rows with the
defaults: opening a settings page writes nothing (no row, no history). The
first save (``casework.services``) creates the row, in the saving user's name.
"""

from __future__ import annotations

from registry.models import Municipality

from .. import letters
from ..models import Letterhead, LetterTemplate, RoutineSettings


def routine_settings_of(municipality: Municipality) -> RoutineSettings:
    saved = RoutineSettings.objects.filter(municipality=municipality).first()
    return saved or RoutineSettings(municipality=municipality)


def letter_templates_of(municipality: Municipality) -> dict[str, LetterTemplate]:
    """Every kind's template: the municipality's text, or the default text not yet saved."""
    templates = {t.kind: t for t in LetterTemplate.objects.filter(municipality=municipality)}
    for kind in letters.KINDS:
        if kind not in templates:
            subject, body = letters.DEFAULT_TEXTS[kind]
            templates[kind] = LetterTemplate(
                municipality=municipality, kind=kind, subject=subject, body=body
            )
    return templates


def letterhead_of(municipality: Municipality) -> Letterhead:
    saved = Letterhead.objects.filter(municipality=municipality).first()
    return saved or Letterhead(municipality=municipality)
