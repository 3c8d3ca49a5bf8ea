"""Letter templates, one young person's letter PDF and the settings page."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from casework import demo_letters
from casework.letters import DEFAULT_TEXTS, KINDS
from casework.models import LetterTemplate, RoutineState
from casework.services.letters import letter_templates_for
from registry.models import AccessLog
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Whitespace normalised: the PDF wraps lines wherever the text reaches the margin.
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def swedish_youth(municipality, **kwargs):
    defaults = {
        "first_name": "Åsa",
        "last_name": "Östergren",
        "street": "Björkvägen 7",
        "postal_code": "571 38",
        "city": "Märsta",
    }
    return YouthFactory(municipality=municipality, **{**defaults, **kwargs})


# --- templates -----------------------------------------------------------------------------


def test_default_templates_are_created_once_per_municipality(municipality, other_municipality):
    first = letter_templates_for(municipality)
    again = letter_templates_for(municipality)
    letter_templates_for(other_municipality)
    assert set(first) == set(KINDS)
    assert {t.pk for t in first.values()} == {t.pk for t in again.values()}
    assert LetterTemplate.objects.filter(municipality=municipality).count() == 4
    assert LetterTemplate.objects.count() == 8
    assert first["second_letter"].subject == DEFAULT_TEXTS["second_letter"][0]


def test_manager_sees_the_four_templates(manager_client):
    response = manager_client.get(reverse("casework:letter_templates"))
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Första brevet", "Andra brevet", "Informationsbladet", "Uppföljningsbrevet"):
        assert label in html
    assert "{förnamn}" in html


def test_coordinator_cannot_edit_templates(coordinator_client):
    assert coordinator_client.get(reverse("casework:letter_templates")).status_code == 403
    url = reverse("casework:letter_template_edit", args=["first_letter"])
    assert coordinator_client.post(url, {"subject": "x", "body": "y"}).status_code == 403


def test_unknown_kind_is_404(manager_client):
    url = reverse("casework:letter_template_edit", args=["love_letter"])
    assert manager_client.get(url).status_code == 404


def test_manager_edits_a_template_and_history_records_who(manager_client, manager, municipality):
    url = reverse("casework:letter_template_edit", args=["first_letter"])
    response = manager_client.post(
        url, {"subject": "Hej {förnamn}", "body": "Ring oss på {telefon}.", "action": "save"}
    )
    assert response.status_code == 302
    template = LetterTemplate.objects.get(municipality=municipality, kind="first_letter")
    assert template.subject == "Hej {förnamn}"
    latest = template.history.first()
    assert latest.history_user == manager
    page = manager_client.get(url).content.decode()
    assert "Historik" in page and str(manager) in page


def test_unknown_placeholder_is_refused_in_swedish(manager_client, municipality):
    url = reverse("casework:letter_template_edit", args=["first_letter"])
    response = manager_client.post(
        url, {"subject": "Hej {fornamn}", "body": "Text", "action": "save"}
    )
    assert response.status_code == 200
    assert "Okänd platshållare: {fornamn}." in response.content.decode()
    template = LetterTemplate.objects.get(municipality=municipality, kind="first_letter")
    assert template.subject == DEFAULT_TEXTS["first_letter"][0]


def test_preview_renders_without_saving(manager_client, municipality):
    url = reverse("casework:letter_template_edit", args=["second_letter"])
    data = {
        "subject": "Till {förnamn} {efternamn}",
        "body": "Vi kommer till {adress}.",
        "action": "preview",
    }
    page = manager_client.post(url, data).content.decode()
    assert "Till Alva Exempelsson" in page
    assert "Vi kommer till Provgatan 12." in page
    partial = manager_client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert "Till Alva Exempelsson" in partial
    assert "<html" not in partial
    template = LetterTemplate.objects.get(municipality=municipality, kind="second_letter")
    assert template.subject == DEFAULT_TEXTS["second_letter"][0]


def test_letterhead_is_saved_and_printed(manager_client, manager, municipality):
    response = manager_client.post(
        reverse("casework:letter_templates"),
        {
            "sender": "Aktivitetsansvaret, Utbildningsförvaltningen",
            "address": "Box 1, 999 99 Provstad",
            "phone": "0123-45 67 89",
            "email": "kaa@example.org",
        },
    )
    assert response.status_code == 302
    assert municipality.letterhead.history.first().history_user == manager
    enrolment = EnrolmentFactory(youth=swedish_youth(municipality))
    letter = manager_client.get(
        reverse("casework:letter_pdf", args=[enrolment.pk]), {"kind": "first_letter"}
    )
    text = pdf_pages(letter)[0]
    assert "Utbildningsförvaltningen" in text
    assert "0123-45 67 89" in text


def test_settings_page_links_letters_and_still_saves_the_routine(manager_client, municipality):
    page = manager_client.get(reverse("casework:settings")).content.decode()
    assert reverse("casework:letter_templates") in page
    assert reverse("casework:letters_batch") in page
    assert "Uppföljningsbrevet" in page
    data = {
        "first_contact_days": 5,
        "second_attempt_days": 30,
        "home_visit_days": 60,
        "post_visit_followup_days": 30,
        "periodic_attempt_days": 90,
        "offer_conversation_days": 14,
        "regular_followup_days": 90,
        "tolerance_days": 7,
    }
    assert manager_client.post(reverse("casework:settings"), data).status_code == 302
    municipality.routine_settings.refresh_from_db()
    assert municipality.routine_settings.first_contact_days == 5


# --- one young person's letter -------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0), tick=False)
def test_letter_pdf_holds_name_address_and_swedish_characters(
    coordinator_client, coordinator, municipality
):
    youth = swedish_youth(municipality)
    enrolment = EnrolmentFactory(youth=youth, coordinator=coordinator)
    response = coordinator_client.get(
        reverse("casework:letter_pdf", args=[enrolment.pk]), {"kind": "first_letter"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    pages = pdf_pages(response)
    assert len(pages) == 1
    text = pages[0]
    assert "Åsa Östergren" in text
    assert "Björkvägen 7" in text and "571 38 Märsta" in text
    assert "24 november 2026" in text
    assert municipality.name in text
    assert AccessLog.objects.filter(
        youth=youth, user=coordinator, action=AccessLog.Action.PRINT
    ).exists()


def test_protected_identity_letter_prints_no_address(manager_client, municipality):
    youth = swedish_youth(municipality, protected_identity=True)
    enrolment = EnrolmentFactory(youth=youth)
    response = manager_client.get(
        reverse("casework:letter_pdf", args=[enrolment.pk]), {"kind": "second_letter"}
    )
    text = " ".join(pdf_pages(response))
    assert "Åsa" in text
    for part in ("Björkvägen", "571 38", "Märsta"):
        assert part not in text
    assert "hanteras manuellt" in text


def test_letter_of_a_protected_youth_only_for_the_assigned_coordinator(
    coordinator_client, coordinator, other_coordinator, municipality
):
    youth = swedish_youth(municipality, protected_identity=True)
    enrolment = EnrolmentFactory(youth=youth, coordinator=other_coordinator)
    url = reverse("casework:letter_pdf", args=[enrolment.pk])
    assert coordinator_client.get(url, {"kind": "first_letter"}).status_code == 404


def test_letter_of_another_municipality_is_404(coordinator_client, other_municipality):
    enrolment = EnrolmentFactory(youth=YouthFactory(municipality=other_municipality))
    url = reverse("casework:letter_pdf", args=[enrolment.pk])
    assert coordinator_client.get(url, {"kind": "first_letter"}).status_code == 404


def test_board_secretary_cannot_print_letters(board_secretary_client, municipality):
    enrolment = EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    url = reverse("casework:letter_pdf", args=[enrolment.pk])
    assert board_secretary_client.get(url, {"kind": "first_letter"}).status_code == 403


def test_without_a_kind_the_user_chooses_one(coordinator_client, municipality):
    enrolment = EnrolmentFactory(youth=swedish_youth(municipality))
    url = reverse("casework:letter_pdf", args=[enrolment.pk])
    page = coordinator_client.get(url)
    assert page["Content-Type"].startswith("text/html")
    assert "Informationsbladet" in page.content.decode()
    wrong = coordinator_client.get(url, {"kind": "love_letter"})
    assert "Välj vilket brev" in wrong.content.decode()


def test_every_default_letter_prints(manager_client, municipality):
    enrolment = EnrolmentFactory(
        youth=swedish_youth(municipality),
        coordinator=UserFactory(first_name="Karin", last_name="Kåre", municipality=municipality),
    )
    for kind in KINDS:
        response = manager_client.get(
            reverse("casework:letter_pdf", args=[enrolment.pk]), {"kind": kind}
        )
        text = " ".join(pdf_pages(response))
        assert "Åsa" in text
        assert "{" not in text


def test_contact_section_offers_a_letter_for_an_active_enrolment(coordinator_client, municipality):
    enrolment = EnrolmentFactory(youth=swedish_youth(municipality))
    page = coordinator_client.get(reverse("casework:enrolment_contacts", args=[enrolment.pk]))
    assert (
        f'action="{reverse("casework:letter_pdf", args=[enrolment.pk])}"' in page.content.decode()
    )


def test_settings_page_groups_the_day_counts_and_shows_who_changed_them(
    manager_client, manager, municipality
):
    data = {
        "first_contact_days": 7,
        "second_attempt_days": 30,
        "home_visit_days": 45,
        "post_visit_followup_days": 30,
        "periodic_attempt_days": 90,
        "offer_conversation_days": 14,
        "regular_followup_days": 90,
        "tolerance_days": 7,
    }
    response = manager_client.post(reverse("casework:settings"), data, follow=True)
    html = response.content.decode()
    assert "Kontaktrutinen är sparad." in html
    assert "Tills kontakt är etablerad" in html and "När kontakt är etablerad" in html
    assert "standard: 60" in html
    history = html.split("data-routine-history")[1]
    assert str(manager) in history
    assert "60 → 45" in history
    # The first version is shown as the routine being set up, not as a change.
    assert history.count("data-history-created") == 1
    assert history.index("60 → 45") < history.index("data-history-created")


def test_demo_letters_are_seeded_once(municipality, manager):
    assert demo_letters.seed(municipality, {"chef": manager}) != ""
    assert demo_letters.seed(municipality, {"chef": manager}) == ""
    assert LetterTemplate.objects.filter(municipality=municipality).count() == 4
    assert municipality.letterhead.phone == demo_letters.DEMO_LETTERHEAD["phone"]
    assert municipality.letterhead.history.count() == 2  # created, then filled in: once


def test_missing_phone_in_the_letterhead_is_pointed_out(
    manager_client, coordinator_client, municipality
):
    for client in (manager_client, coordinator_client):
        page = client.get(reverse("casework:letters_batch")).content.decode()
        assert "Brevhuvudet saknar telefonnummer" in page
    manager_client.post(
        reverse("casework:letter_templates"),
        {"sender": "KAA", "address": "", "phone": "0123-1", "email": ""},
    )
    page = manager_client.get(reverse("casework:letter_templates")).content.decode()
    assert "Brevhuvudet saknar telefonnummer" not in page


def test_htmx_preview_shows_the_placeholder_error(manager_client):
    url = reverse("casework:letter_template_edit", args=["info_sheet"])
    partial = manager_client.post(
        url,
        {"subject": "Hej", "body": "Hej {namn}", "action": "preview"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Okänd platshållare: {namn}." in partial
    assert "<html" not in partial


def test_the_letter_form_suggests_the_letter_the_routine_is_at(coordinator_client, municipality):
    enrolment = EnrolmentFactory(youth=swedish_youth(municipality))
    RoutineState.objects.update_or_create(
        enrolment=enrolment, defaults={"next_step": "home_visit", "next_due": TODAY}
    )
    page = coordinator_client.get(
        reverse("casework:letter_pdf", args=[enrolment.pk])
    ).content.decode()
    assert '<option value="info_sheet" selected>' in page
