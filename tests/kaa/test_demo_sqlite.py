"""The README's first command runs the demo on SQLite: its pages must answer there too.

The suite itself runs on PostgreSQL, so a set-based query that only PostgreSQL
understands (ARRAY_AGG, say) would pass every other test and still break
`make demo`. This test builds the demo as `make demo` does, in a subprocess
with the local settings and a throwaway SQLite file, and opens each role's
pages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PAGES = textwrap.dedent(
    """
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from registry.models import User, Youth

    settings.ALLOWED_HOSTS = ["*"]
    youth = Youth.objects.filter(municipality__code="9999").order_by("pk").first()
    pages = {
        "koordinator": ["/arende/arbetslista/", "/ungdomar/", "/arende/brev/", f"/ungdomar/{youth.pk}/"],
        "chef": ["/arende/arbetslista/", "/rapporter/", "/rapporter/oversikt/",
                 "/rapporter/rutinefterlevnad/", "/rapporter/scb/", "/uppfoljning/"],
        "sekreterare": ["/rapporter/"],
        "region": ["/rapporter/region/", "/rapporter/region/rutinefterlevnad/"],
    }
    for username, urls in pages.items():
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        for url in urls:
            print(username, url, client.get(url, follow=True).status_code)
    """
)


@pytest.fixture(scope="module")
def demo_environment(tmp_path_factory) -> dict[str, str]:
    database = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kaa.settings.local",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return environment


def test_every_role_s_pages_answer_on_the_demo_s_sqlite(demo_environment) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PAGES],
        cwd=ROOT,
        env=demo_environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    answers = [line.rsplit(" ", 1) for line in result.stdout.splitlines()]
    assert len(answers) == 13
    assert [page for page, status in answers if status != "200"] == []
