"""The day's letters: who is due, one PDF with a page per person, protected identity left out."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from casework.models import ContactAttempt, LetterBatch, LetterPrintJob, RoutineState
from casework.services.letter_print import PROGRESS_STEPS, letter_print_build
from casework.services.letters import (
    letter_batch_create,
    letter_templates_for,
    letterhead_for,
    letters_due,
)
from registry.models import AccessLog
from registry.personnummer import synthetic
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)
NOW = datetime.datetime(2026, 11, 24, 10, 0)


def pdf_pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def due(enrolment, step: str, days_ago: int = 0) -> None:
    """Put the enrolment's stored routine state on ``step``, due ``days_ago`` days before today."""
    next_due = TODAY - datetime.timedelta(days=days_ago)
    RoutineState.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "next_step": step,
            "next_due": next_due,
            "overdue_after": next_due + datetime.timedelta(days=7),
        },
    )


def enrolment_due(municipality, step: str, *, days_ago: int = 0, **youth_fields):
    coordinator = youth_fields.pop("coordinator", None)
    enrolment = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, **youth_fields),
        registered_on=datetime.date(2026, 9, 1),
        coordinator=coordinator,
    )
    due(enrolment, step, days_ago)
    return enrolment


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.usefixtures("travel")
def test_who_is_due_which_letter(manager, municipality, other_municipality):
    first = enrolment_due(municipality, "first_contact", first_name="Första")
    second = enrolment_due(municipality, "second_attempt", days_ago=3, first_name="Andra")
    after_visit = enrolment_due(municipality, "post_visit_followup", first_name="Efter")
    periodic = enrolment_due(municipality, "periodic_attempt", days_ago=40, first_name="Period")
    enrolment_due(municipality, "home_visit", first_name="Hembesök")
    enrolment_due(municipality, "offer_conversation", first_name="Samtal")
    tomorrow = enrolment_due(municipality, "first_contact", first_name="Imorgon")
    due(tomorrow, "first_contact", days_ago=-1)
    ended = enrolment_due(municipality, "first_contact", first_name="Avslutad")
    ended.ended_on = TODAY
    ended.end_reason = "moved_away"
    ended.save()
    due(ended, "first_contact")
    enrolment_due(other_municipality, "first_contact", first_name="Granne")

    result = {d.enrolment.pk: d.kind for d in letters_due(user=manager, today=TODAY)}

    assert result == {
        first.pk: "first_letter",
        second.pk: "second_letter",
        after_visit.pk: "followup_letter",
        periodic.pk: "followup_letter",
    }


@pytest.mark.usefixtures("travel")
def test_coordinator_gets_own_and_unassigned(coordinator, other_coordinator, municipality):
    own = enrolment_due(municipality, "first_contact", coordinator=coordinator)
    unassigned = enrolment_due(municipality, "first_contact")
    enrolment_due(municipality, "first_contact", coordinator=other_coordinator)
    protected_other = enrolment_due(municipality, "first_contact", protected_identity=True)
    result = {d.enrolment.pk for d in letters_due(user=coordinator, today=TODAY)}
    assert result == {own.pk, unassigned.pk}
    assert protected_other.pk not in result


@pytest.mark.usefixtures("travel")
def test_page_lists_protected_identity_separately(manager_client, municipality):
    enrolment_due(municipality, "first_contact", first_name="Vanlig", last_name="Person")
    hidden = enrolment_due(
        municipality,
        "second_attempt",
        first_name="Skyddad",
        last_name="Person",
        protected_identity=True,
    )
    html = manager_client.get(reverse("casework:letters_batch")).content.decode()
    printable, manual = html.split("data-manual-handling")
    assert "Vanlig Person" in printable and "Skyddad Person" not in printable
    assert "Skyddad Person" in manual
    assert f'data-manual-letter="{hidden.pk}"' in manual
    assert f"{reverse('casework:letter_pdf', args=[hidden.pk])}?kind=second_letter" in manual
    assert "För manuell hantering" in html


@pytest.mark.usefixtures("travel")
def test_batch_pdf_has_a_page_per_person_and_no_protected_identity(
    manager_client, manager, municipality, django_capture_on_commit_callbacks
):
    names = ["Åke Ärlig", "Örjan Ödmjuk", "Lisa Lång"]
    for name, step in zip(
        names, ["first_contact", "second_attempt", "periodic_attempt"], strict=True
    ):
        first, last = name.split()
        enrolment_due(municipality, step, first_name=first, last_name=last, street="Ågatan 2")
    enrolment_due(
        municipality,
        "first_contact",
        first_name="Hemlig",
        last_name="Hemligsson",
        street="Dolda gränd 9",
        postal_code="111 11",
        city="Gömstad",
        protected_identity=True,
    )

    # The PDF is built once the batch is committed (here in-process, as without a broker).
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("casework:letters_batch"))
    batch = LetterBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:letters_batch_detail", args=[batch.pk])
    assert len(batch.items) == 3
    detail = manager_client.get(response["Location"]).content.decode()
    assert "Öppna PDF:en" in detail and "3 brev" in detail

    pdf = manager_client.get(reverse("casework:letters_batch_pdf", args=[batch.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    pages = pdf_pages(pdf.content)
    assert len(pages) == 3
    # Each page holds exactly one of the three young people.
    assert sorted([name for name in names if name in page] for page in pages) == sorted(
        [name] for name in names
    )
    everything = " ".join(pages)
    for secret in ("Hemlig", "Dolda gränd", "111 11", "Gömstad"):
        assert secret not in everything
    assert AccessLog.objects.filter(user=manager, action=AccessLog.Action.PRINT).count() == 3
    # Generating and printing log no contact attempt: only the confirmation does.
    assert not ContactAttempt.objects.exists()
    assert LetterBatch.objects.get().confirmed_at is None


@pytest.mark.usefixtures("travel")
def test_only_the_chosen_letters_are_printed(manager_client, municipality):
    chosen = enrolment_due(municipality, "first_contact")
    enrolment_due(municipality, "first_contact")
    hidden = enrolment_due(municipality, "first_contact", protected_identity=True)
    manager_client.post(
        reverse("casework:letters_batch"), {"choose": "1", "enrolment": [chosen.pk, hidden.pk]}
    )
    assert LetterBatch.objects.get().enrolment_ids == [chosen.pk]


@pytest.mark.usefixtures("travel")
def test_unticking_every_letter_prints_nothing(manager_client, municipality):
    enrolment_due(municipality, "first_contact")
    response = manager_client.post(reverse("casework:letters_batch"), {"choose": "1"}, follow=True)
    assert "Det finns inga brev att skriva ut." in response.content.decode()
    assert not LetterBatch.objects.exists()


@pytest.mark.usefixtures("travel")
def test_nothing_due_says_so(manager_client):
    response = manager_client.post(reverse("casework:letters_batch"), follow=True)
    assert "Det finns inga brev att skriva ut." in response.content.decode()
    assert not LetterBatch.objects.exists()


@pytest.mark.usefixtures("travel")
def test_another_users_batch_is_404(coordinator_client, manager_client, municipality):
    enrolment_due(municipality, "first_contact")
    manager_client.post(reverse("casework:letters_batch"))
    batch = LetterBatch.objects.get()
    for name in ("letters_batch_detail", "letters_batch_pdf", "letters_batch_status"):
        assert (
            coordinator_client.get(reverse(f"casework:{name}", args=[batch.pk])).status_code == 404
        )
    for name in ("letters_batch_confirm", "letters_batch_print"):
        url = reverse(f"casework:{name}", args=[batch.pk])
        assert coordinator_client.post(url).status_code == 404


@pytest.mark.usefixtures("travel")
@pytest.mark.parametrize("rows", [10, 40])
def test_batch_page_runs_a_fixed_number_of_queries(
    rows, manager_client, municipality, django_assert_max_num_queries
):
    for n in range(rows):
        enrolment_due(municipality, "first_contact", protected_identity=n % 5 == 0)
    manager_client.get(reverse("casework:letters_batch"))  # templates created on first use
    with django_assert_max_num_queries(8):
        response = manager_client.get(reverse("casework:letters_batch"))
    assert response.content.decode().count("data-due-letter=") == rows - rows // 5


@pytest.mark.usefixtures("travel")
@pytest.mark.parametrize("rows", [3, 30])
def test_batch_pdf_is_built_and_sent_in_a_fixed_number_of_queries(
    rows, manager, manager_client, municipality, django_assert_max_num_queries
):
    for _n in range(rows):
        enrolment_due(municipality, "second_attempt")
    batch = letter_batch_create(user=manager, today=TODAY)
    job = LetterPrintJob.objects.create(
        batch=batch, municipality=municipality, created_by=manager, total=rows
    )
    letter_templates_for(municipality)  # created on first use, once
    letterhead_for(municipality)
    # The build writes its progress at most PROGRESS_STEPS times, however many letters.
    with django_assert_max_num_queries(10 + PROGRESS_STEPS):
        assert letter_print_build(job_id=job.pk) == "built"
    with django_assert_max_num_queries(8):
        response = manager_client.get(reverse("casework:letters_batch_pdf", args=[batch.pk]))
    assert len(pdf_pages(response.content)) == rows


def test_coordinators_and_managers_reach_the_days_letters_from_the_menu(
    coordinator_client, manager_client, board_secretary_client
):
    link = f'href="{reverse("casework:letters_batch")}" data-nav="letters"'
    for client in (coordinator_client, manager_client):
        assert link in client.get(reverse("account")).content.decode()
    assert link not in board_secretary_client.get(reverse("account")).content.decode()
    assert board_secretary_client.get(reverse("casework:letters_batch")).status_code == 403


@pytest.mark.usefixtures("travel")
def test_two_young_people_with_the_same_name_can_be_told_apart(manager_client, municipality):
    one, two = (
        enrolment_due(
            municipality,
            "first_contact",
            first_name="Alex",
            last_name="Lind",
            birth_date=birth_date,
            personnummer=synthetic(birth_date, 1),
        )
        for birth_date in (datetime.date(2008, 3, 1), datetime.date(2009, 7, 30))
    )
    html = manager_client.get(reverse("casework:letters_batch")).content.decode()
    for enrolment in (one, two):
        row = html.split(f'data-due-letter="{enrolment.pk}"')[1].split("</tr>")[0]
        assert "Alex Lind <span" in row
        assert enrolment.youth.masked_personnummer in row
        assert enrolment.youth.personnummer not in html
    assert one.youth.masked_personnummer != two.youth.masked_personnummer
