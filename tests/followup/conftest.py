"""Follow-up tests start from no job locks (the real worker and broker fixtures are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from followup.services.jobs import lock_key
from followup.tasks import TASKS


@pytest.fixture(autouse=True)
def _no_leftover_locks():
    for name in TASKS:
        cache.delete(lock_key(name))
    yield
