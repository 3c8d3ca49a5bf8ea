"""A coordinator prints the day's letters and confirms them, in a real browser."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import ContactAttempt, LetterPrintJob
from casework.services.letter_jobs import letter_batch_print
from casework.services.letter_print import letter_print_build
from tests.casework.factories import youth_enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def due_letters(municipality, coordinator):
    registered = timezone.localdate() - datetime.timedelta(days=10)
    open_address = youth_enrolment(
        municipality,
        coordinator,
        registered_on=registered,
        first_name="Bruno",
        last_name="Brevsson",
        street="Brevgatan 3",
    )
    protected = youth_enrolment(
        municipality,
        coordinator,
        registered_on=registered,
        first_name="Sigrid",
        last_name="Skyddad",
        street="Hemliga vägen 1",
        protected_identity=True,
    )
    return open_address, protected


def test_print_and_confirm_the_days_letters(browser_page, login, coordinator, due_letters):
    open_address, protected = due_letters
    page = browser_page
    login(page, coordinator)
    page.locator("[data-nav=letters]").click()
    expect(page.get_by_role("heading", name="Dagens brev")).to_be_visible()
    expect(page.locator(f'[data-due-letter="{open_address.pk}"]')).to_contain_text("Första brevet")
    # Protected identity: listed for manual handling, never in the printable batch.
    expect(page.locator(f'[data-manual-letter="{protected.pk}"]')).to_contain_text("Sigrid Skyddad")
    expect(page.locator(f'[data-due-letter="{protected.pk}"]')).to_have_count(0)

    page.get_by_role("button", name="Skapa en PDF med de valda breven").click()
    expect(page.get_by_role("heading", name="2. Bekräfta")).to_be_visible()
    pdf = page.request.get(page.get_by_role("link", name="Öppna PDF:en").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    # Printing logs nothing yet.
    assert not ContactAttempt.objects.exists()

    page.get_by_role("button", name="Jag har skrivit ut och skickat breven").click()
    expect(page.get_by_text("1 brev loggades som kontaktförsök.")).to_be_visible()
    expect(page.locator("[data-batch-confirmed]")).to_be_visible()
    attempt = ContactAttempt.objects.get()
    assert attempt.enrolment == open_address and attempt.channel == "letter"
    assert attempt.recorded_by == coordinator

    # The letter sent, the young person is no longer due one today.
    page.get_by_role("link", name="Tillbaka till dagens brev").click()
    expect(page.locator(f'[data-due-letter="{open_address.pk}"]')).to_have_count(0)
    expect(page.locator(f'[data-manual-letter="{protected.pk}"]')).to_be_visible()


def test_the_batch_page_follows_the_pdf_job_until_the_link_appears(
    browser_page, login, coordinator, due_letters
):
    """The job's progress is polled by htmx: the page changes without a reload."""
    batch = letter_batch_print(user=coordinator, today=timezone.localdate())  # queued on commit
    job = LetterPrintJob.objects.get(batch=batch)
    # As a worker reports it half-way (the eager run above already built it: start over).
    LetterPrintJob.objects.filter(pk=job.pk).update(
        status=LetterPrintJob.Status.RUNNING, done=0, total=1
    )
    page = browser_page
    login(page, coordinator)
    page.goto(reverse("casework:letters_batch_detail", args=[batch.pk]))
    expect(page.get_by_role("status")).to_contain_text("0 av 1 brev klara")
    expect(page.get_by_role("link", name="Öppna PDF:en")).to_have_count(0)

    LetterPrintJob.objects.filter(pk=job.pk).update(status=LetterPrintJob.Status.PENDING)
    letter_print_build(job_id=job.pk)
    expect(page.get_by_role("link", name="Öppna PDF:en")).to_be_visible()
