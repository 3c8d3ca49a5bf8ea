"""Every change is in the history with its user; commands act as the system user."""

import pytest
from django.core.management import call_command

from registry.models import Municipality, User
from registry.system import SYSTEM_USERNAME

pytestmark = pytest.mark.django_db


def test_add_municipality_records_the_system_user():
    call_command("add_municipality", "0682", "Nässjö")
    call_command("add_municipality", "0682", "Nässjö", "kommun")
    records = Municipality.history.filter(code="0682").order_by("history_id")
    assert [(r.name, r.history_user.username) for r in records] == [
        ("Nässjö", SYSTEM_USERNAME),
        ("Nässjö kommun", SYSTEM_USERNAME),
    ]


def test_add_user_records_the_system_user():
    call_command("add_municipality", "0682", "Nässjö")
    call_command("add_user", "kim", "--role", "coordinator", "--municipality", "0682")
    record = User.history.filter(username="kim").get()
    assert record.history_user.username == SYSTEM_USERNAME
