"""The contact section of an enrolment: attempts, next step, deviations in plain Swedish."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import ContactAttempt
from casework.services.contacts import contact_attempt_record
from registry.models import AccessLog
from tests.casework.factories import youth_enrolment
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def enrolment(municipality, coordinator):
    return youth_enrolment(
        municipality,
        coordinator,
        registered_on=datetime.date(2026, 6, 1),
        first_name="Alva",
        last_name="Ek",
    )


def page_url(enrolment):
    return reverse("casework:enrolment_contacts", args=[enrolment.pk])


def log(user, enrolment, day, channel="letter", outcome="not_reached"):
    return contact_attempt_record(
        user=user, enrolment=enrolment, date=day, channel=channel, party="youth", outcome=outcome
    )


def test_page_shows_next_step_deviation_and_logs_access(enrolment, coordinator, coordinator_client):
    log(coordinator, enrolment, datetime.date(2026, 6, 3))
    log(coordinator, enrolment, datetime.date(2026, 7, 1), channel="phone")
    log(
        coordinator,
        enrolment,
        datetime.date(2026, 9, 3),
        channel="home_visit",
        outcome="info_sheet_left",
    )
    page = coordinator_client.get(page_url(enrolment)).content.decode()
    assert "Alva Ek" in page
    assert "Uppföljning efter hembesök, senast 2026-10-03" in page
    assert "försenat sedan 2026-10-11" in page
    # 2026-06-03 to 2026-09-03 is 92 days.
    assert (
        "Hembesöket gjordes 92 dagar efter första kontaktförsöket; "
        "rutinen säger 60 dagar plus 7 dagars tolerans."
    ) in page
    assert "Informationsblad lämnat" in page
    assert (
        AccessLog.objects.filter(
            user=coordinator, youth=enrolment.youth, action="view_page"
        ).count()
        == 1
    )


def test_no_attempt_deviation_is_explained(enrolment, coordinator_client):
    page = coordinator_client.get(page_url(enrolment)).content.decode()
    assert "Inget kontaktförsök är dokumenterat." in page
    assert (
        "Inget kontaktförsök på 176 dagar sedan inskrivningen; "
        "rutinen säger 7 dagar plus 7 dagars tolerans."
    ) in page
    assert "Kontakt etablerad" in page and "Ännu inte" in page


def test_contact_established_and_offer_conversation(enrolment, coordinator, coordinator_client):
    log(coordinator, enrolment, datetime.date(2026, 11, 20), channel="phone", outcome="reached")
    page = coordinator_client.get(page_url(enrolment)).content.decode()
    assert "2026-11-20" in page
    assert "Erbjud samtal och kartläggning, senast 2026-12-04" in page
    assert "Första kontaktförsöket gjordes 172 dagar efter inskrivningen" in page


def test_log_from_the_section_with_htmx(enrolment, coordinator_client):
    response = coordinator_client.post(
        reverse("casework:contact_create", args=[enrolment.pk]),
        {
            "date": "2026-11-24",
            "channel": "sms",
            "party": "guardian",
            "outcome": "not_reached",
            "note": "Sms till mamma",
        },
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page_url(enrolment)}"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<section") or "data-contact-section" in body
    assert "Kontaktförsöket är registrerat." in body
    assert "Sms till mamma" in body
    assert f'name="next" value="{page_url(enrolment)}"' in body


def test_log_refused_before_registration_without_javascript(enrolment, coordinator_client):
    response = coordinator_client.post(
        reverse("casework:contact_create", args=[enrolment.pk]),
        {
            "date": "2026-05-30",
            "channel": "letter",
            "party": "youth",
            "outcome": "not_reached",
            "next": page_url(enrolment),
        },
    )
    assert response.status_code == 400
    assert "Datumet kan inte vara före inskrivningen (2026-06-01)." in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_edit_keeps_history(enrolment, coordinator, coordinator_client):
    attempt = log(coordinator, enrolment, datetime.date(2026, 6, 3))
    url = reverse("casework:contact_update", args=[attempt.pk])
    form = coordinator_client.get(url).content.decode()
    assert 'value="2026-06-03"' in form
    assert AccessLog.objects.filter(
        user=coordinator, youth=enrolment.youth, action="view_page"
    ).exists()
    response = coordinator_client.post(
        url,
        {
            "date": "2026-06-04",
            "channel": "letter",
            "party": "youth",
            "outcome": "not_reached",
            "note": "Rättat datum",
            "next": page_url(enrolment),
        },
    )
    assert response.status_code == 302 and response["Location"] == page_url(enrolment)
    attempt.refresh_from_db()
    assert attempt.date == datetime.date(2026, 6, 4)
    assert [h.date for h in attempt.history.order_by("history_date")] == [
        datetime.date(2026, 6, 3),
        datetime.date(2026, 6, 4),
    ]
    page = coordinator_client.get(page_url(enrolment)).content.decode()
    assert "(ändrat)" in page


def test_other_municipality_and_hidden_are_404(
    enrolment, other_municipality, municipality, other_coordinator, coordinator_client
):
    foreign = EnrolmentFactory(youth=YouthFactory(municipality=other_municipality))
    hidden = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, protected_identity=True),
        coordinator=other_coordinator,
    )
    assert coordinator_client.get(page_url(foreign)).status_code == 404
    assert coordinator_client.get(page_url(hidden)).status_code == 404
    attempt = ContactAttempt.objects.create(
        enrolment=foreign, date=foreign.registered_on, channel="letter", outcome="not_reached"
    )
    assert (
        coordinator_client.get(reverse("casework:contact_update", args=[attempt.pk])).status_code
        == 404
    )


def test_partial_renders_with_the_young_person_pages_context(
    rf, enrolment, coordinator, django_assert_max_num_queries
):
    from django.template.loader import render_to_string

    log(coordinator, enrolment, datetime.date(2026, 6, 3))
    request = rf.get("/ungdomar/1/")
    request.user = coordinator
    with django_assert_max_num_queries(4):
        html = render_to_string(
            "casework/partials/enrolment_contact_section.html",
            {
                "enrolment": enrolment,
                "youth": enrolment.youth,
                "user": coordinator,
                "request": request,
            },
        )
    assert "Andra kontaktförsöket, senast 2026-07-03" in html
    assert 'name="next" value="/ungdomar/1/"' in html


def test_the_young_person_page_shows_the_contact_section(
    enrolment, coordinator, coordinator_client
):
    log(coordinator, enrolment, datetime.date(2026, 6, 3))
    url = reverse("registry:youth_detail", args=[enrolment.youth_id])
    page = coordinator_client.get(url).content.decode()
    assert f'id="contact-section-{enrolment.pk}"' in page
    assert "Andra kontaktförsöket, senast 2026-07-03" in page
    assert f'name="next" value="{url}"' in page


def test_ended_enrolment_without_attempts_is_explained_with_its_own_days(
    municipality, coordinator, coordinator_client
):
    enrolment = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality),
        registered_on=datetime.date(2026, 6, 1),
        coordinator=coordinator,
        ended_on=datetime.date(2026, 6, 5),
        end_reason="moved_away",
    )
    page = coordinator_client.get(page_url(enrolment)).content.decode()
    # docs/domain.md, "Deviations": no attempt and as_of past registration + 7 + T, ended or not.
    assert "Inget kontaktförsök är dokumenterat." in page
    assert (
        "Inget kontaktförsök gjordes under inskrivningens 4 dagar; "
        "rutinen säger 7 dagar plus 7 dagars tolerans."
    ) in page
    assert "Inskrivningen avslutades utan känd sysselsättning." in page
    assert "Första kontakt, senast" not in page
