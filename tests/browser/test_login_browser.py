"""Each role logs in through the real Swedish login page and sees its own navigation (issue 2)."""

import pytest

from registry.demo import DEMO_PASSWORD, seed_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED_NAVIGATION = {
    "koordinator": ["Arbetslista", "Ungdomar", "Planer", "Brev"],
    "chef": ["Arbetslista", "Ungdomar", "Planer", "Brev", "Översikt", "Rapporter", "Inställningar"],
    "sekreterare": ["Rapporter"],
}


@pytest.mark.parametrize("username", sorted(EXPECTED_NAVIGATION))
def test_demo_user_logs_in_and_sees_the_roles_navigation(browser_page, username):
    seed_users()
    page = browser_page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Logga in"
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    labels = page.locator("nav.main-nav a").all_inner_texts()
    # The worklist link carries a count badge ("Arbetslista 3"): compare the label only.
    assert [label.split("\n")[0].rstrip("0123456789 ") for label in labels] == EXPECTED_NAVIGATION[
        username
    ]
    page.click("text=Logga ut")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Logga in"


def test_admin_lands_on_the_admin_site(browser_page):
    seed_users()
    page = browser_page
    page.goto("/logga-in/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/admin/")
    assert "KAA – administration" in page.locator("body").inner_text()


def test_wrong_password_is_refused_in_swedish(browser_page):
    seed_users()
    page = browser_page
    page.goto("/logga-in/")
    page.fill("#id_username", "koordinator")
    page.fill("#id_password", "fel-lösenord")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "korrekt användarnamn och lösenord" in page.locator("main").inner_text()
