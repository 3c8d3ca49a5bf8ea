"""Headless Chromium for the browser tests (Playwright's sync API against pytest-django's live_server).

Reuse: ``chromium_browser`` (session), ``browser_page`` (a fresh context per test,
base URL = the live server) and ``login(page, user)``. Mark tests ``@pytest.mark.browser``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from registry.models import User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# tests.factories.UserFactory's password.
TEST_PASSWORD = "test-password-123"


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the Django ORM
    # calls the tests make alongside it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = chromium_browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login() -> Callable[[Page, User], None]:
    def log_in(page: Page, user: User, password: str = TEST_PASSWORD) -> None:
        page.goto("/logga-in/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()

    return log_in
