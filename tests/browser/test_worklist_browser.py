"""A coordinator works the worklist in a real browser."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import ContactAttempt
from tests.casework.factories import youth_enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue(municipality, coordinator):
    return youth_enrolment(
        municipality,
        coordinator,
        registered_on=timezone.localdate() - datetime.timedelta(days=30),
        first_name="Wilma",
        last_name="Webbsson",
    )


def test_log_a_contact_inline_and_the_item_leaves(browser_page, login, coordinator, overdue):
    page = browser_page
    login(page, coordinator)
    page.goto("/arende/arbetslista/")
    row = page.locator(f"#worklist-item-{overdue.pk}")
    expect(row).to_contain_text("Wilma Webbsson")
    expect(row).to_contain_text("Försenat")
    expect(page.locator("[data-worklist-count]")).to_have_text("1")

    row.locator("summary").click()
    row.get_by_label("Kanal").select_option("phone")
    row.get_by_label("Utfall").select_option("not_reached")
    row.get_by_label("Anteckning").fill("Inget svar, provar igen.")
    row.get_by_role("button", name="Spara kontaktförsöket").click()

    expect(page.locator(f"#worklist-item-{overdue.pk}")).to_contain_text(
        "Kontaktförsöket för Wilma Webbsson är registrerat."
    )
    expect(page.locator("[data-worklist-item]")).to_have_count(0)
    # The count in the navigation follows (an out-of-band swap).
    expect(page.locator("[data-worklist-count]")).to_have_text("")
    attempt = ContactAttempt.objects.get()
    assert attempt.channel == "phone" and attempt.recorded_by == coordinator

    page.reload()
    expect(page.locator("[data-worklist-empty]")).to_be_visible()
    expect(page.get_by_text("Wilma Webbsson")).to_have_count(0)


def test_inline_log_works_without_javascript(
    chromium_browser, live_server, login, coordinator, overdue
):
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="sv-SE", java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, coordinator)
        page.goto("/arende/arbetslista/")
        row = page.locator(f"#worklist-item-{overdue.pk}")
        row.locator("summary").click()
        row.get_by_label("Kanal").select_option("letter")
        row.get_by_label("Utfall").select_option("not_reached")
        row.get_by_role("button", name="Spara kontaktförsöket").click()
        page.wait_for_load_state()
        assert page.url.endswith("/arende/arbetslista/")
        expect(
            page.get_by_text("Kontaktförsöket för Wilma Webbsson är registrerat.")
        ).to_be_visible()
        expect(page.locator("[data-worklist-item]")).to_have_count(0)
    finally:
        context.close()
