"""The demo's second municipality, region, pending move and regional analyst (issue 15)."""

import datetime

import pytest
import time_machine

from registry import demo, demo_region
from registry.models import MoveNotification, Region, Role, User, Youth
from tests.conftest import logged_in_client

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_region_a_pending_move_and_an_analyst():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        municipality, users = demo.seed_users()
        first = demo_region.seed(municipality, users)
        second = demo_region.seed(municipality, users)
    assert "en inflyttad att registrera" in first
    assert "en inflyttad" not in second  # idempotent: nothing added the second time
    region = Region.objects.get(name=demo_region.REGION_NAME)
    assert set(region.municipalities.values_list("code", flat=True)) == {"9999", "9998"}
    analyst = User.objects.get(username="region")
    assert (analyst.role, analyst.region) == (Role.REGIONAL_ANALYST, region)
    move = MoveNotification.objects.get()
    assert (move.to_municipality, move.status) == (municipality, "pending")
    assert Youth.objects.filter(municipality__code="9998").count() == demo_region.NEIGHBOUR_YOUTHS
    assert all(980 <= int(y.personnummer[8:11]) <= 999 for y in Youth.objects.all())
    worklist = logged_in_client(users["chef"]).get("/arende/arbetslista/").content.decode()
    assert "Inflyttade att registrera" in worklist
    page = logged_in_client(analyst).get("/rapporter/region/")
    assert page.status_code == 200
    assert "Grannkommunen" in page.content.decode()
