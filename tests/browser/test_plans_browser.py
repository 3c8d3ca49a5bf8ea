"""A coordinator documents an individual plan end to end in a real browser (issue 5)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework.models import Actor, Measure, Plan
from tests.casework.factories import youth_enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def enrolment(municipality, coordinator):
    return youth_enrolment(
        municipality,
        coordinator,
        registered_on=timezone.localdate() - datetime.timedelta(days=60),
        first_name="Åsa",
        last_name="Öberg",
    )


@pytest.fixture
def employment_service(municipality):
    return Actor.objects.create(municipality=municipality, name="Arbetsförmedlingen")


def iso(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def missing_count(page: Page):
    return page.locator("main [data-missing-count]").first


def test_mapping_plan_measure_with_another_actor_and_evaluation_complete_the_checklist(
    browser_page, login, coordinator, enrolment, employment_service
):
    page = browser_page
    login(page, coordinator)
    page.goto(f"/arende/inskrivning/{enrolment.pk}/plan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Åsa Öberg")
    # No plan yet: everything but the end reason (no measure has ended) is missing,
    # and the end reason is not yet applicable (not a tick).
    expect(missing_count(page)).to_have_attribute("data-missing-count", "6")
    expect(page.locator('[data-item="6"]')).to_contain_text("inte aktuellt än")

    page.get_by_role("link", name="Gör kartläggningen").click()
    page.get_by_label("Datum för kartläggningen").fill(iso(-30))
    page.get_by_label("Nuvarande situation").fill("Hemma sedan våren, söker jobb ibland.")
    page.get_by_label("Ungdomens eget mål").fill("Jobba på en verkstad")
    page.get_by_role("button", name="Spara kartläggningen").click()
    expect(page.get_by_text("Kartläggningen är sparad.")).to_be_visible()
    expect(page.locator("#kartlaggning")).to_contain_text("Jobba på en verkstad")

    page.get_by_label("Mål med insatserna").fill("Börja på fordonsprogrammet på Komvux.")
    page.get_by_label("Individuell planering").fill("Träffas varannan vecka, praktik på verkstad.")
    page.get_by_role("button", name="Spara mål och planering").click()
    expect(page.get_by_text("Planen är sparad.")).to_be_visible()
    expect(page.locator('[data-item="1"]')).to_have_attribute("data-missing", "0")

    # A measure given to another actor: no actor named and an end before the start are refused.
    page.get_by_role("link", name="Lägg till insats").click()
    page.get_by_label("Typ av insats").select_option("employment_service")
    page.get_by_label("Beskrivning").fill("Praktik via Arbetsförmedlingen.")
    page.get_by_label("Ansvarig").select_option("other_actor")
    page.get_by_label("Startdatum").fill(iso(-20))
    page.get_by_label("Planerat slutdatum").fill(iso(-25))
    page.get_by_label("Datum för uppföljning").fill(iso(-10))
    page.get_by_label("Datum för utvärdering").fill(iso(-1))
    page.get_by_role("button", name="Spara insatsen").click()
    expect(page.get_by_text("Välj vilken aktör som ansvarar för insatsen.")).to_be_visible()
    expect(page.get_by_text("Planerat slutdatum kan inte vara före startdatum.")).to_be_visible()
    assert not Measure.objects.exists()

    page.get_by_label("Aktör (när en annan aktör ansvarar)").select_option(
        label="Arbetsförmedlingen"
    )
    page.get_by_label("Planerat slutdatum").fill(iso(40))
    page.get_by_role("button", name="Spara insatsen").click()
    expect(page.get_by_text("Insatsen är tillagd.")).to_be_visible()
    row = page.locator("[data-measure]")
    expect(row).to_contain_text("Annan aktör: Arbetsförmedlingen")
    # The evaluation date passed yesterday with nothing written: item 7 is missing.
    expect(row).to_contain_text("Utvärderingen är försenad")
    expect(missing_count(page)).to_have_attribute("data-missing-count", "1")
    expect(page.locator('[data-item="7"]')).to_have_attribute("data-missing", "1")

    # Ending it before its start is refused; with a date, a reason and an evaluation it ends.
    row.get_by_role("link", name="Avsluta").click()
    page.get_by_label("Datum då insatsen avslutades").fill(iso(-21))
    page.get_by_label("Orsak till avslut").fill("Fick anställning på verkstaden.")
    page.get_by_role("button", name="Avsluta insatsen").click()
    expect(page.get_by_text("Insatsen kan inte avslutas före sitt startdatum.")).to_be_visible()
    page.get_by_label("Datum då insatsen avslutades").fill(iso(0))
    page.get_by_label("Utvärdering: resultat").select_option("achieved")
    page.get_by_label("Utvärdering: hade insatsen avsedd effekt?").fill(
        "Ja: hon har fått jobb och trivs."
    )
    page.get_by_role("button", name="Avsluta insatsen").click()
    expect(page.get_by_text("Insatsen är avslutad.")).to_be_visible()
    expect(page.locator("[data-measure]")).to_contain_text("Fick anställning på verkstaden.")
    expect(missing_count(page)).to_have_attribute("data-missing-count", "0")
    expect(page.get_by_text("Alla sju punkter är dokumenterade")).to_be_visible()
    expect(page.locator('.plan-checklist [data-missing="1"]')).to_have_count(0)

    measure = Measure.objects.get()
    assert measure.ended_on == timezone.localdate()
    assert measure.evaluation_result == "achieved"
    assert measure.history.first().history_user == coordinator


def test_stale_plan_save_keeps_both_texts_and_overwrites_nothing(
    chromium_browser, browser_page, live_server, login, coordinator, manager, enrolment
):
    Plan.objects.create(enrolment=enrolment, goal="Första målet", planning="Planering", version=1)
    page = browser_page
    login(page, coordinator)
    page.goto(f"/arende/inskrivning/{enrolment.pk}/plan/")

    other_context = chromium_browser.new_context(base_url=live_server.url, locale="sv-SE")
    other = other_context.new_page()
    try:
        login(other, manager)
        other.goto(f"/arende/inskrivning/{enrolment.pk}/plan/")
        other.get_by_label("Mål med insatserna").fill("Chefens mål: studier i höst.")
        other.get_by_role("button", name="Spara mål och planering").click()
        expect(other.get_by_text("Planen är sparad.")).to_be_visible()
    finally:
        other_context.close()

    page.get_by_label("Mål med insatserna").fill("Koordinatorns mål: jobb till våren.")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Spara mål och planering").click()
    assert answer.value.status == 409
    stale = page.locator("[data-stale]")
    expect(stale).to_contain_text("Chefens mål: studier i höst.")
    expect(stale.locator("dt[data-changed]")).to_have_count(1)
    expect(stale.locator("dt[data-changed]")).to_contain_text("Mål med insatserna")
    expect(page.get_by_label("Mål med insatserna")).to_have_value(
        "Koordinatorns mål: jobb till våren."
    )
    plan = Plan.objects.get()
    assert (plan.goal, plan.version) == ("Chefens mål: studier i höst.", 2)

    # Saving again now deliberately replaces the other text, based on the version shown.
    page.get_by_role("button", name="Spara mål och planering").click()
    expect(page.get_by_text("Planen är sparad.")).to_be_visible()
    plan.refresh_from_db()
    assert (plan.goal, plan.version) == ("Koordinatorns mål: jobb till våren.", 3)
