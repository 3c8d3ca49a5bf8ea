"""Signals the register sends, for the apps above it (docs/architecture.md, "Hooks").

A single enrolment saved through its service reaches listeners through
Django's ``post_save``. Bulk inserts (the import) send no save signals, so the
register announces them itself.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent after new enrolments were written in bulk, inside the writing
# transaction; keyword argument ``enrolment_ids`` (a list of ids).
enrolments_registered = Signal()
