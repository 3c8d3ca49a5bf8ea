"""Fixtures shared by the casework tests."""

from __future__ import annotations

import datetime

import pytest
import time_machine


@pytest.fixture
def frozen_today():
    """'Today' is 2026-11-24 (10:00); modules opt in with `usefixtures("frozen_today")`."""
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0), tick=False):
        yield
