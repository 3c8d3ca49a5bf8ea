"""The youth register in a real browser: add, find, deregister, assign, import."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registry import importing
from registry.models import AccessLog, Enrolment, ImportBatch, Youth
from registry.personnummer import synthetic
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_find_and_deregister_a_young_person(browser_page, login, coordinator):
    page = browser_page
    login(page, coordinator)
    today = timezone.localdate()
    birth = today.replace(year=today.year - 17) - datetime.timedelta(days=3)
    digits = synthetic(birth, 4)

    page.goto("/ungdomar/ny/")
    page.fill("#id_personnummer", f"{digits[2:8]}-{digits[8:]}")  # the 10-digit form
    page.fill("#id_first_name", "Wilma")
    page.fill("#id_last_name", "Webbsson")
    page.fill("#id_street", "Webbvägen 4")
    page.fill("#id_guardians-0-name", "Karin Webbsson")
    page.fill("#id_guardians-0-phone", "070-000 00 00")
    page.select_option("#id_enrolment-source", "studiebevis")
    page.get_by_role("button", name="Spara").click()

    expect(page.locator("h1")).to_contain_text("Wilma Webbsson")
    expect(page.locator("[data-address]")).to_contain_text("Webbvägen 4")
    expect(page.get_by_text("Aktiv inskrivning")).to_be_visible()
    youth = Youth.objects.get()
    assert youth.personnummer == digits
    assert AccessLog.objects.filter(youth=youth, user=coordinator, action="view_page").exists()

    # The list finds the person by name and shows the number masked.
    page.goto("/ungdomar/")
    page.fill("#id_q", "webbsson")
    page.get_by_role("button", name="Visa").click()
    row = page.locator(f"[data-youth='{youth.pk}']")
    expect(row).to_contain_text(f"{digits[:8]}-XXXX")
    expect(row).not_to_contain_text(digits[8:])
    expect(row).to_contain_text("Ej fått kontakt")

    # Deregistering without a reason is refused with a message; with one it goes through.
    row.get_by_role("link").click()
    page.get_by_role("link", name="Avregistrera").click()
    page.get_by_role("button", name="Avregistrera").click()
    expect(page.get_by_text("Ange orsak till avregistrering.")).to_be_visible()
    assert Enrolment.objects.get().is_active
    page.select_option("#id_reason", "other")
    page.get_by_role("button", name="Avregistrera").click()
    expect(page.get_by_text("Beskriv orsaken när du väljer ”Annan orsak”.")).to_be_visible()
    page.fill("#id_reason_text", "Flyttar till släkt utomlands en tid.")
    page.get_by_role("button", name="Avregistrera").click()
    expect(page.get_by_text("Inskrivningen är avregistrerad.")).to_be_visible()
    expect(page.get_by_text("Avregistrerad inskrivning")).to_be_visible()
    enrolment = Enrolment.objects.get()
    assert enrolment.end_reason == "other" and enrolment.ended_on == today
    assert enrolment.history.latest().history_user == coordinator


def test_manager_assigns_a_coordinator_without_seeing_a_protected_address(
    browser_page, login, manager, coordinator, municipality
):
    youth = YouthFactory(
        municipality=municipality,
        first_name="Sigrid",
        last_name="Skyddad",
        protected_identity=True,
        street="Hemliga gränd 9",
    )
    enrolment = EnrolmentFactory(youth=youth)
    page = browser_page
    login(page, manager)
    page.goto(f"/ungdomar/{youth.pk}/")
    expect(page.locator("[data-address]")).to_contain_text("Skyddad")
    expect(page.locator("body")).not_to_contain_text("Hemliga gränd")
    page.select_option(f"#coordinator-{enrolment.pk}", str(coordinator.pk))
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Koordinatorn är tilldelad.")).to_be_visible()
    expect(page.locator(f"[data-enrolment='{enrolment.pk}']")).to_contain_text(str(coordinator))
    expect(page.locator("body")).not_to_contain_text("Hemliga gränd")
    enrolment.refresh_from_db()
    assert enrolment.coordinator == coordinator


def test_import_a_mixed_file_with_progress_and_confirm(
    browser_page, login, coordinator, municipality, tmp_path
):
    today = timezone.localdate()
    birth = today.replace(year=today.year - 17)
    rows = [
        {
            # synthetic() has 20 test serials per birth date: shift the day every 20 rows.
            "personnummer": synthetic(birth - datetime.timedelta(days=n // 20), n),
            "first_name": f"Fil{n}",
            "last_name": "Importsson",
            "source": "never_started",
            "registered_on": today.isoformat(),
        }
        for n in range(1, 1201)
    ]
    rows[4]["personnummer"] = "20090402-9999"  # line 6: bad check digit
    rows[9]["personnummer"] = rows[8]["personnummer"]  # line 11: duplicate of line 10
    file = tmp_path / "register.csv"
    file.write_bytes(importing.write_rows(rows))

    page = browser_page
    login(page, coordinator)
    page.goto("/ungdomar/inlasning/")
    page.set_input_files("#id_file", str(file))
    page.get_by_role("button", name="Ladda upp och granska").click()
    # htmx checks the rows chunk by chunk, then shows the preview.
    expect(page.locator("[data-summary]")).to_contain_text("1198 nya ungdomar", timeout=30_000)
    expect(page.locator("[data-summary]")).to_contain_text("2 rader har fel")
    expect(page.locator("[data-line='6']")).to_contain_text("Kontrollsiffran")
    expect(page.locator("[data-line='11']")).to_contain_text("Dubblett i filen")
    assert not Youth.objects.exists()

    page.get_by_role("button", name="Bekräfta och skriv in 1198 rader").click()
    expect(page.get_by_text("Klart: 1198 nya ungdomar och 1198 inskrivningar.")).to_be_visible(
        timeout=30_000
    )
    assert Youth.objects.count() == Enrolment.objects.count() == 1198
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
