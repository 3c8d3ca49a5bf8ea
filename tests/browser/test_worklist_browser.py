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

    # The log form is fetched when the row's button is used (htmx), focused on its first field.
    expect(row.get_by_label("Kanal")).to_have_count(0)
    row.get_by_role("link", name="Logga kontaktförsök").click()
    expect(row.get_by_label("Datum")).to_be_focused()
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


def test_without_javascript_the_row_leads_to_the_young_persons_contact_page(
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
        row.get_by_role("link", name="Logga kontaktförsök").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/arende/inskrivning/{overdue.pk}/kontakt/")
        page.locator("details.contact-log summary").click()
        page.get_by_label("Kanal").select_option("letter")
        page.get_by_label("Utfall").select_option("not_reached")
        page.get_by_role("button", name="Spara kontaktförsöket").click()
        page.wait_for_load_state()
        expect(
            page.get_by_text("Kontaktförsöket för Wilma Webbsson är registrerat.")
        ).to_be_visible()
        page.goto("/arende/arbetslista/")
        expect(page.locator("[data-worklist-item]")).to_have_count(0)
    finally:
        context.close()


def test_tabs_search_and_keyboard(browser_page, login, coordinator, overdue, municipality):
    youth_enrolment(
        municipality,
        registered_on=timezone.localdate() - datetime.timedelta(days=10),
        first_name="Otto",
        last_name="Otilldelad",
    )
    page = browser_page
    login(page, coordinator)
    page.goto("/arende/arbetslista/")
    expect(page.get_by_role("link", name="Mina ärenden (1)")).to_have_attribute(
        "aria-current", "page"
    )
    otto = page.get_by_role("link", name="Otto Otilldelad", exact=True)
    expect(otto).to_have_count(0)
    page.get_by_role("link", name="Ej tilldelade (1)").click()
    expect(otto).to_be_visible()
    expect(page.locator("[data-worklist-item]")).to_contain_text(
        "3 dagar efter förfallodagen, inom toleransen"
    )

    page.get_by_role("link", name="Alla (2)").click()
    page.get_by_label("Sök namn").fill("webb")
    page.get_by_label("Sök namn").press("Enter")
    expect(page.locator("[data-worklist-item]")).to_have_count(1)
    expect(page.locator("[data-worklist-item]")).to_contain_text("Wilma Webbsson")

    # Keyboard alone: Tab to the row's button, Enter opens the form with focus in it.
    link = page.locator(f"#worklist-item-{overdue.pk}").get_by_role(
        "link", name="Logga kontaktförsök"
    )
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Datum")).to_be_focused()
