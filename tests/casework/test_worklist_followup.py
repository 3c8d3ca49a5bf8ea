"""The worklist warns 30 days before a 20th birthday and lists measure reminders (issue 6)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False)
def test_worklist_warns_about_a_20th_birthday_within_30_days(
    coordinator_client, coordinator, municipality
):
    turning = YouthFactory(municipality=municipality, birth_date=datetime.date(2006, 12, 20))
    EnrolmentFactory(
        youth=turning, coordinator=coordinator, registered_on=datetime.date(2026, 9, 1)
    )
    later = YouthFactory(municipality=municipality, birth_date=datetime.date(2007, 3, 1))
    EnrolmentFactory(youth=later, coordinator=coordinator, registered_on=datetime.date(2026, 9, 1))
    html = coordinator_client.get(reverse("casework:worklist")).content.decode()
    # Once: the follow-up summary carries the warning; the page must not repeat it.
    assert html.count("1 ungdom fyller 20 år inom 30 dagar") == 1
    assert turning.full_name in html
    assert "2026-12-20" in html
    assert later.full_name not in html.split("data-ageing-out")[1].split("</div>")[0]
