"""A manager runs the overdue-flag job from the follow-up page in a real browser and sees the flags."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followup.models import JobRun, OverdueFlag
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_runs_the_flag_job_and_sees_the_overdue_steps(
    browser_page, login, manager, municipality, other_municipality, coordinator
):
    # Registered 30 days ago, never contacted: the first contact is overdue.
    late = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, first_name="Frida", last_name="Flaggsson"),
        registered_on=timezone.localdate() - datetime.timedelta(days=30),
        coordinator=coordinator,
    )
    EnrolmentFactory(
        youth=YouthFactory(municipality=other_municipality, first_name="Annan", last_name="Kommun"),
        registered_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    page = browser_page
    login(page, manager)
    page.goto("/uppfoljning/")
    expect(page.locator("[data-flag]")).to_have_count(0)

    page.get_by_role("button", name="Uppdatera försenade steg nu").click()

    expect(page.get_by_text("Försenade steg är uppdaterade: 1 nya, 0 åtgärdade.")).to_be_visible()
    flag = page.locator("[data-flag]")
    expect(flag).to_have_count(1)
    expect(flag).to_contain_text("Frida Flaggsson")
    expect(flag).to_contain_text("Första kontakt")
    expect(page.get_by_text("Annan Kommun")).to_have_count(0)
    expect(page.get_by_role("heading", name="Senaste körningar")).to_be_visible()
    expect(page.locator("[data-job-run]").first).to_contain_text("Försenade steg")

    # A second click changes nothing.
    page.get_by_role("button", name="Uppdatera försenade steg nu").click()
    expect(page.get_by_text("Försenade steg är uppdaterade: 0 nya, 0 åtgärdade.")).to_be_visible()
    assert OverdueFlag.objects.get().enrolment == late
    assert JobRun.objects.filter(name="overdue_flags").count() == 2

    # The flag leads to the young person's contact attempts.
    flag.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/arende/inskrivning/{late.pk}/kontakt/$"))
