"""Files holding personal data: stored outside MEDIA_ROOT and never served by URL.

A view that has checked the user's access reads the file and sends it (the
letters of a print run, docs/architecture.md "Inside an app"). MEDIA_ROOT is
served as it is in development, so these files must not live there.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """settings.PRIVATE_MEDIA_ROOT, read on each use (tests point it elsewhere)."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("A private file has no URL; a view sends it after checking access.")


_private = PrivateFileStorage()


def private_storage() -> PrivateFileStorage:
    """The storage of FileFields with personal data (a callable, so migrations name it)."""
    return _private
