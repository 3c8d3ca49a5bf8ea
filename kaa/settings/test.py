"""The test run: always the real PostgreSQL and Redis, never SQLite."""

import tempfile

from .base import *

DATABASES = {
    "default": env.db_url_config(
        env("DATABASE_URL", default="") or "postgres://postgres@127.0.0.1:5432/kaa"
    ),
}
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="") or None}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("The test suite runs on PostgreSQL only (set DATABASE_URL).")

REDIS_URL = env("REDIS_URL", default="") or "redis://127.0.0.1:6379/15"
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# Tests that need a job start a real worker (celery.contrib.pytest); the
# rest call services directly, so queued work runs eagerly here.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
LOGGING["root"]["level"] = "WARNING"
# Stored letter PDFs of the tests go to a throw-away directory.
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="kaa-test-private-")
