"""Shared fixtures: a municipality, one user per role, API clients."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import ApiToken, Municipality, Role, User

from .factories import MunicipalityFactory, UserFactory


@pytest.fixture
def municipality(db) -> Municipality:
    return MunicipalityFactory(code="0999", name="Provkommunen")


@pytest.fixture
def other_municipality(db) -> Municipality:
    return MunicipalityFactory(code="0998", name="Grannkommunen")


@pytest.fixture
def coordinator(municipality) -> User:
    return UserFactory(username="koordinator", role=Role.COORDINATOR, municipality=municipality)


@pytest.fixture
def other_coordinator(municipality) -> User:
    return UserFactory(username="koordinator2", role=Role.COORDINATOR, municipality=municipality)


@pytest.fixture
def manager(municipality) -> User:
    return UserFactory(username="chef", role=Role.MANAGER, municipality=municipality)


@pytest.fixture
def board_secretary(municipality) -> User:
    return UserFactory(username="sekreterare", role=Role.BOARD_SECRETARY, municipality=municipality)


@pytest.fixture
def school_user(municipality) -> User:
    return UserFactory(username="skola", role=Role.SCHOOL, municipality=municipality)


@pytest.fixture
def admin_user(municipality) -> User:
    return UserFactory(
        username="admin",
        role=Role.ADMIN,
        municipality=municipality,
        is_staff=True,
        is_superuser=False,
    )


def logged_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator) -> Client:
    return logged_in_client(coordinator)


@pytest.fixture
def manager_client(manager) -> Client:
    return logged_in_client(manager)


@pytest.fixture
def board_secretary_client(board_secretary) -> Client:
    return logged_in_client(board_secretary)


class ApiClient(Client):
    """A test client that sends a bearer token and JSON."""

    def __init__(self, key: str | None = None) -> None:
        super().__init__()
        self.key = key

    def _headers(self, extra: dict) -> dict:
        if self.key:
            extra.setdefault("headers", {})["Authorization"] = f"Bearer {self.key}"
        return extra

    def get(self, path, data=None, **extra):  # type: ignore[override]
        return super().get(path, data, **self._headers(extra))

    def post(self, path, data=None, **extra):  # type: ignore[override]
        return super().post(path, data, content_type="application/json", **self._headers(extra))

    def put(self, path, data=None, **extra):  # type: ignore[override]
        return super().put(path, data, content_type="application/json", **self._headers(extra))

    def patch(self, path, data=None, **extra):  # type: ignore[override]
        return super().patch(path, data, content_type="application/json", **self._headers(extra))


def api_client_for(user: User) -> ApiClient:
    _token, key = ApiToken.issue(user)
    return ApiClient(key)


@pytest.fixture
def coordinator_api(coordinator) -> ApiClient:
    return api_client_for(coordinator)


@pytest.fixture
def manager_api(manager) -> ApiClient:
    return api_client_for(manager)


@pytest.fixture
def board_secretary_api(board_secretary) -> ApiClient:
    return api_client_for(board_secretary)


@pytest.fixture
def school_api(school_user) -> ApiClient:
    return api_client_for(school_user)


@pytest.fixture
def broker_app():
    """The project's Celery app sending to the broker instead of running tasks in-process."""
    from kaa.celery import app as celery_app

    celery_app.conf.task_always_eager = False
    try:
        yield celery_app
    finally:
        celery_app.conf.task_always_eager = True


@pytest.fixture
def celery_redis_worker(broker_app):
    """A real Celery worker thread on the local Redis; queued work goes to it, not run eagerly.

    Needs django_db(transaction=True): the worker reads what the test committed.
    """
    from celery.contrib.testing.worker import start_worker

    broker_app.control.purge()
    with start_worker(
        broker_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
    ) as worker:
        yield worker
