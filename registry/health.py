"""``/healthz``: does the database answer, and Redis when it is configured."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def _check_redis() -> bool | None:
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    except Exception:
        logger.exception("Health check: Redis does not answer")
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "redis": _check_redis()}
    healthy = all(value is not False for value in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{k: v for k, v in checks.items() if v is not None},
    }
    return JsonResponse(body, status=200 if healthy else 503)
