"""add_municipality, add_user and issue_api_token: idempotent, clear on bad input."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from registry.models import ApiToken, Municipality, User
from registry.system import SYSTEM_USERNAME

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_municipality_is_idempotent():
    assert "tillagd" in run("add_municipality", "0682", "Nässjö")
    assert "inget ändrat" in run("add_municipality", "0682", "Nässjö")
    assert Municipality.objects.get(code="0682").name == "Nässjö"
    assert Municipality.objects.count() == 1


@pytest.mark.parametrize("code", ["682", "06821", "abcd", "06-2"])
def test_add_municipality_refuses_malformed_code(code):
    with pytest.raises(CommandError, match="fyra siffror"):
        run("add_municipality", code, "Någonstans")
    assert not Municipality.objects.exists()


def test_add_user_is_idempotent_and_sets_password():
    run("add_municipality", "0682", "Nässjö")
    args = (
        "add_user",
        "kim",
        "--role",
        "coordinator",
        "--municipality",
        "0682",
        "--password",
        "pw-123-abc",
    )
    assert "skapad" in run(*args)
    assert "inget ändrat" in run(*args)
    user = User.objects.get(username="kim")
    assert user.role == "coordinator"
    assert user.municipality.code == "0682"
    assert user.check_password("pw-123-abc")
    # Besides the inactive system user the command records in the history.
    assert User.objects.exclude(username=SYSTEM_USERNAME).count() == 1


def test_add_user_changes_role_on_second_run():
    run("add_municipality", "0682", "Nässjö")
    run(
        "add_user",
        "kim",
        "--role",
        "coordinator",
        "--municipality",
        "0682",
        "--password",
        "pw-123-abc",
    )
    assert "uppdaterad" in run("add_user", "kim", "--role", "manager", "--municipality", "0682")
    assert User.objects.get(username="kim").role == "manager"


def test_add_user_refuses_unknown_role():
    run("add_municipality", "0682", "Nässjö")
    with pytest.raises(CommandError, match="Okänd roll"):
        run("add_user", "kim", "--role", "boss", "--municipality", "0682", "--password", "x")
    assert not User.objects.exclude(username=SYSTEM_USERNAME).exists()


def test_add_user_refuses_unknown_municipality():
    with pytest.raises(CommandError, match="Ingen kommun med koden 1234"):
        run("add_user", "kim", "--role", "coordinator", "--municipality", "1234", "--password", "x")
    assert not User.objects.exists()


def test_commands_exit_non_zero_from_the_shell(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "add_municipality", "12", "Fel"],
        capture_output=True,
        text=True,
        check=False,
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "kaa.settings.local",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        },
    )
    assert result.returncode != 0
    assert "fyra siffror" in result.stderr


def test_issue_api_token_prints_only_the_token():
    run("add_municipality", "0682", "Nässjö")
    run(
        "add_user",
        "kim",
        "--role",
        "coordinator",
        "--municipality",
        "0682",
        "--password",
        "pw-123-abc",
    )
    output = run("issue_api_token", "kim")
    key = output.strip()
    assert "\n" not in key and " " not in key and len(key) >= 40
    token = ApiToken.objects.get()
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in token.key_hash  # only the hash is stored


def test_issue_api_token_for_unknown_user_fails():
    with pytest.raises(CommandError, match="Ingen aktiv användare"):
        run("issue_api_token", "nobody")
