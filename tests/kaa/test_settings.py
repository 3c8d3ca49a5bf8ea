"""Production settings refuse to start without their secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "SECRET_KEY": "a-long-random-test-secret-key-for-settings",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kaa",
    "ALLOWED_HOSTS": "kaa.example.invalid",
}


def _load_production_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in SECRETS and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "kaa.settings.production"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_all_secrets():
    result = _load_production_settings(SECRETS)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_production_refuses_to_start_without_a_secret(missing):
    env = {k: v for k, v in SECRETS.items() if k != missing}
    result = _load_production_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_embedded_defaults_are_sqlite_without_broker():
    clean = {k: v for k, v in os.environ.items() if k not in (*SECRETS, "REDIS_URL")}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "kaa.settings.local"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]
