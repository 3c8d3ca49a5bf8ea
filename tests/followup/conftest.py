"""A real Celery worker on the local Redis (the test settings run tasks eagerly otherwise)."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from followup.services.jobs import lock_key
from followup.tasks import TASKS
from kaa.celery import app as celery_app


@pytest.fixture(autouse=True)
def _no_leftover_locks():
    for name in TASKS:
        cache.delete(lock_key(name))
    yield


@pytest.fixture
def broker_app():
    """The project's Celery app sending to the broker instead of running tasks in-process."""
    celery_app.conf.task_always_eager = False
    try:
        yield celery_app
    finally:
        celery_app.conf.task_always_eager = True


@pytest.fixture
def redis_worker(broker_app):
    """Start a worker thread on the local Redis (needs django_db(transaction=True))."""
    broker_app.control.purge()
    with start_worker(
        broker_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
    ) as worker:
        yield worker
