"""A board secretary generates the board report in a real browser and downloads the PDF."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Outcome
from reports.models import BoardAnalysis, BoardReport
from tests.reports.factories import attempt, enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def period(municipality, other_municipality):
    """Seven registrations in a past period, six of them reached within five days."""
    end = timezone.localdate() - datetime.timedelta(days=40)
    start = end - datetime.timedelta(days=59)
    cases = []
    for index in range(7):
        case = enrolment(
            municipality,
            start + datetime.timedelta(days=index),
            first_name=f"Hemlig{index}",
            last_name="Namnesson",
        )
        if index < 6:
            attempt(case, case.registered_on + datetime.timedelta(days=5), Outcome.REACHED)
        cases.append(case)
    enrolment(other_municipality, start, first_name="Grannkommunbarn", last_name="Annansson")
    BoardAnalysis.objects.create(
        municipality=municipality,
        period_from=start,
        period_to=end,
        analysis="Kontakten etableras snabbare än förra perioden.",
        planned_actions="Fortsätt med hembesök varannan vecka.",
    )
    return start, end, cases


def test_board_secretary_generates_and_downloads_the_board_report(
    browser_page, login, board_secretary, period
):
    start, end, cases = period
    page = browser_page
    login(page, board_secretary)
    page.goto("/rapporter/")
    # Board secretaries have the reports, and no way to the young people's pages.
    nav = page.locator("nav")
    expect(nav).to_contain_text("Rapporter")
    expect(nav).not_to_contain_text("Ungdomar")
    expect(nav).not_to_contain_text("Arbetslista")

    page.get_by_label("Från").fill(start.isoformat())
    page.get_by_label("Till").fill(end.isoformat())
    page.get_by_role("button", name="Välj period").click()
    # The manager's analysis is shown, read-only.
    expect(
        page.get_by_text("Kontakten etableras snabbare än förra perioden.", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("button", name="Spara analysen")).to_have_count(0)
    # The figures are on screen before any download: the same as the PDF will show.
    registrations = page.locator('tr[data-figure="new_registrations"]')
    expect(registrations).to_contain_text("Nya inskrivningar")
    expect(registrations.locator("td").first).to_have_text("7")
    expect(page.locator('tr[data-figure="not_reached"] td').first).to_have_text("<5")

    page.get_by_role("button", name="Skapa PDF för").click()
    report = BoardReport.objects.get()
    row = page.locator(f"#board-report-{report.pk}")
    link = row.get_by_role("link", name="Ladda ner PDF")
    expect(link).to_be_visible()

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"rapport-kaa-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    with open(download.path(), "rb") as file:
        reader = pypdf.PdfReader(io.BytesIO(file.read()))
    text = "\n".join(page_.extract_text() for page_ in reader.pages)
    flat = " ".join(text.split())
    # Seven new registrations against none before and none a year earlier: 0 is shown as 0.
    assert "Nya inskrivningar 7 0 +7 0 +7" in flat
    # The seventh is not reached: one young person is "<5", never "1", and no change shows it.
    assert "Ej fått kontakt <5 0 – 0 –" in flat
    assert "Kontakten etableras snabbare än förra perioden." in flat
    assert "Fortsätt med hembesök varannan vecka." in flat
    for case in cases:
        assert case.youth.first_name not in text
        assert case.youth.personnummer[:8] not in text
    assert "Namnesson" not in text and "Grannkommunbarn" not in text
    report.refresh_from_db()
    assert report.created_by == board_secretary and report.status == "done"

    # Asking for a young person's page directly is refused.
    response = page.goto(reverse("registry:youth_detail", args=[cases[0].youth_id]))
    assert response is not None and response.status == 403
