"""The plan pages in the browser: checklist, saves, refusals, stale saves, access."""

from __future__ import annotations

import datetime
import io

import pytest
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from casework.models import Mapping, Measure, Plan
from registry.models import AccessLog
from tests.casework.factories import youth_enrolment
from tests.conftest import logged_in_client
from tests.factories import EnrolmentFactory, YouthFactory

from .plan_factories import ActorFactory, MappingFactory, MeasureFactory, PlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def enrolment(municipality, coordinator):
    return youth_enrolment(municipality, coordinator, first_name="Åsa", last_name="Öberg")


def plan_url(enrolment) -> str:
    return reverse("casework:plan", args=[enrolment.pk])


def test_plan_page_without_plan_shows_six_missing_and_logs_the_read(
    coordinator_client, coordinator, enrolment
):
    response = coordinator_client.get(plan_url(enrolment))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Individuell plan" in html
    assert 'data-missing-count="6"' in html
    assert html.count('data-missing="1"') == 6
    # No measure has ended, so no end reason can be missing yet (item 6).
    assert 'data-item="6" data-missing="0"' in html
    assert "Insatser som annan aktör ansvarar för, och vilken aktör" in html
    log = AccessLog.objects.get()
    assert (log.user, log.youth, log.action) == (coordinator, enrolment.youth, "view_page")


def test_checklist_shows_only_the_missing_items(coordinator_client, enrolment):
    plan = PlanFactory(enrolment=enrolment)
    MeasureFactory(plan=plan, starts_on=None)
    html = coordinator_client.get(plan_url(enrolment)).content.decode()
    assert 'data-missing-count="1"' in html
    assert 'data-item="5" data-missing="1"' in html
    assert 'data-item="1" data-missing="0"' in html


def test_saving_goal_and_planning(coordinator_client, enrolment):
    response = coordinator_client.post(
        plan_url(enrolment), {"version": 0, "goal": "Börja på Komvux", "planning": "Samtal"}
    )
    assert response.status_code == 302
    plan = Plan.objects.get(enrolment=enrolment)
    assert (plan.goal, plan.version) == ("Börja på Komvux", 1)


def test_stale_plan_save_keeps_both_texts_and_overwrites_nothing(
    coordinator_client, other_coordinator, enrolment
):
    PlanFactory(enrolment=enrolment, goal="Gammalt mål", planning="Gammal planering")
    other = logged_in_client(other_coordinator)
    other.post(plan_url(enrolment), {"version": 1, "goal": "Kollegans mål", "planning": "K"})

    response = coordinator_client.post(
        plan_url(enrolment), {"version": 1, "goal": "Mitt mål", "planning": "Min planering"}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Någon annan har sparat ändringar medan du skrev" in html
    assert "Kollegans mål" in html  # what the other person saved
    assert "Mitt mål" in html and "Min planering" in html  # my own text kept in the form
    assert other_coordinator.get_full_name() in html
    assert 'name="version" value="2"' in html
    plan = Plan.objects.get(enrolment=enrolment)
    assert (plan.goal, plan.version) == ("Kollegans mål", 2)

    # Having seen the other text, saving again is a deliberate choice and succeeds.
    response = coordinator_client.post(
        plan_url(enrolment), {"version": 2, "goal": "Mitt mål", "planning": "Min planering"}
    )
    assert response.status_code == 302
    assert Plan.objects.get(enrolment=enrolment).goal == "Mitt mål"


def test_mapping_save_and_stale_mapping(coordinator_client, manager_client, enrolment):
    url = reverse("casework:mapping", args=[enrolment.pk])
    data = {
        "version": 0,
        "date": "2026-10-01",
        "situation": "Hemma",
        "interests": "Musik",
        "needs": "",
        "obstacles": "",
        "own_goal": "Bli elektriker",
    }
    assert coordinator_client.post(url, data).status_code == 302
    assert Mapping.objects.get(enrolment=enrolment).own_goal == "Bli elektriker"
    assert (
        manager_client.post(url, data | {"version": 1, "situation": "Chefens"}).status_code == 302
    )
    response = coordinator_client.post(url, data | {"version": 1, "situation": "Min situation"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Chefens" in html and "Min situation" in html
    assert Mapping.objects.get(enrolment=enrolment).situation == "Chefens"


def measure_data(**changes) -> dict:
    data = {
        "version": 1,
        "type": "internship",
        "description": "Praktik på verkstad",
        "responsible": "youth",
        "actor": "",
        "starts_on": "2026-11-01",
        "ends_on": "2027-01-31",
        "follow_up_on": "2026-12-01",
        "evaluate_on": "2027-01-31",
        "followed_up_at": "",
        "follow_up_note": "",
        "evaluation_result": "",
        "evaluation": "",
    }
    data.update(changes)
    return data


def test_add_measure_with_other_actor(coordinator_client, enrolment, municipality):
    actor = ActorFactory(municipality=municipality, name="Arbetsförmedlingen")
    response = coordinator_client.post(
        reverse("casework:measure_create", args=[enrolment.pk]),
        measure_data(responsible="other_actor", actor=actor.pk),
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.actor, measure.plan.enrolment) == (actor, enrolment)
    html = coordinator_client.get(plan_url(enrolment)).content.decode()
    assert "Annan aktör: Arbetsförmedlingen" in html


def test_measure_end_before_start_is_refused_in_swedish(coordinator_client, enrolment):
    response = coordinator_client.post(
        reverse("casework:measure_create", args=[enrolment.pk]),
        measure_data(ends_on="2026-10-01"),
    )
    assert response.status_code == 200
    assert "Planerat slutdatum kan inte vara före startdatum." in response.content.decode()
    assert not Measure.objects.exists()


def test_other_actor_without_actor_is_refused(coordinator_client, enrolment):
    response = coordinator_client.post(
        reverse("casework:measure_create", args=[enrolment.pk]),
        measure_data(responsible="other_actor"),
    )
    assert "Välj vilken aktör som ansvarar för insatsen." in response.content.decode()


def test_ending_a_measure_needs_a_reason(coordinator_client, enrolment):
    measure = MeasureFactory(plan=PlanFactory(enrolment=enrolment))
    url = reverse("casework:measure_end", args=[measure.pk])
    response = coordinator_client.post(
        url, {"version": 1, "ended_on": "2026-11-20", "end_reason": ""}
    )
    assert "Ange orsaken till att insatsen avslutades." in response.content.decode()
    measure.refresh_from_db()
    assert measure.ended_on is None
    response = coordinator_client.post(
        url,
        {
            "version": 1,
            "ended_on": "2026-11-20",
            "end_reason": "Fick jobb",
            "evaluation_result": "achieved",
            "evaluation": "Ledde till anställning.",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.ended_on, measure.end_reason) == (datetime.date(2026, 11, 20), "Fick jobb")


def test_stale_measure_edit_shows_the_other_change(
    coordinator_client, other_coordinator, enrolment
):
    measure = MeasureFactory(
        plan=PlanFactory(enrolment=enrolment),
        type="internship",
        description="Start",
        responsible="youth",
        starts_on=datetime.date(2026, 11, 1),
        follow_up_on=datetime.date(2026, 12, 1),
    )
    url = reverse("casework:measure_edit", args=[measure.pk])
    logged_in_client(other_coordinator).post(url, measure_data(description="Kollegans text"))
    response = coordinator_client.post(url, measure_data(description="Min text"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kollegans text" in html and "Min text" in html
    # Only the field the colleague changed is marked as changed.
    assert html.count("data-changed") == 1
    assert '<dt class="plan-changed" data-changed>Beskrivning' in html
    measure.refresh_from_db()
    assert (measure.description, measure.version) == ("Kollegans text", 2)


def test_other_municipality_and_protected_youth_answer_404(
    coordinator_client, other_municipality, municipality, other_coordinator
):
    foreign = EnrolmentFactory(youth=YouthFactory(municipality=other_municipality))
    assert coordinator_client.get(plan_url(foreign)).status_code == 404
    protected = EnrolmentFactory(
        youth=YouthFactory(municipality=municipality, protected_identity=True),
        coordinator=other_coordinator,
    )
    assert coordinator_client.get(plan_url(protected)).status_code == 404
    measure = MeasureFactory(plan=PlanFactory(enrolment=foreign))
    assert (
        coordinator_client.get(reverse("casework:measure_edit", args=[measure.pk])).status_code
        == 404
    )


def test_board_secretary_may_not_open_plans(board_secretary_client, enrolment):
    assert board_secretary_client.get(plan_url(enrolment)).status_code == 403


def test_plan_list_counts_missing_items_in_fixed_queries(
    manager_client, municipality, django_assert_max_num_queries
):
    complete = PlanFactory(enrolment__youth__municipality=municipality)
    MeasureFactory(plan=complete)
    PlanFactory(enrolment__youth__municipality=municipality, goal="")
    EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    with django_assert_max_num_queries(8):
        html = manager_client.get(reverse("casework:plans")).content.decode()
    assert html.count('data-missing-count="0"') == 1
    # Goal empty and no measures, and no plan yet, both miss 1-5 and 7 (no measure ended: not 6).
    assert html.count('data-missing-count="6"') == 2
    assert 'data-missing-count="7"' not in html
    for _ in range(20):
        MeasureFactory(plan=PlanFactory(enrolment__youth__municipality=municipality))
    with django_assert_max_num_queries(8):
        manager_client.get(reverse("casework:plans"))
    html = manager_client.get(reverse("casework:plans") + "?saknas=1").content.decode()
    assert 'data-missing-count="0"' not in html


def test_actor_list_is_for_managers(manager_client, coordinator_client, municipality):
    url = reverse("casework:actors")
    assert coordinator_client.get(url).status_code == 403
    assert manager_client.post(url, {"name": "Socialtjänsten"}).status_code == 302
    response = manager_client.post(url, {"name": "socialtjänsten"})
    assert "Det finns redan en aktör med det namnet." in response.content.decode()
    actor = municipality.actors.get()
    response = manager_client.post(
        reverse("casework:actor_edit", args=[actor.pk]), {"name": "Socialtjänsten", "is_active": ""}
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert not actor.is_active


def test_young_person_page_section_summarises_the_plan(enrolment):
    plan = PlanFactory(enrolment=enrolment, goal="Jobb inom vården")
    MeasureFactory(plan=plan)
    MappingFactory(enrolment=enrolment)
    html = Template("{% include 'casework/partials/enrolment_plan_section.html' %}").render(
        Context({"enrolment": enrolment, "youth": enrolment.youth})
    )
    assert "Jobb inom vården" in html
    assert 'data-missing-count="0"' in html
    assert reverse("casework:plan", args=[enrolment.pk]) in html


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_plan_pdf_prints_swedish_text_and_no_protected_address(manager_client, municipality):
    enrolment = EnrolmentFactory(
        youth=YouthFactory(
            municipality=municipality,
            first_name="Åsa",
            last_name="Öberg",
            street="Hemliga vägen 7",
            protected_identity=True,
        )
    )
    plan = PlanFactory(enrolment=enrolment, goal="Börja på Komvux och läsa svenska på våren")
    MeasureFactory(plan=plan, description="Vägledning hos syv")
    response = manager_client.get(reverse("casework:plan_pdf", args=[enrolment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "Åsa Öberg" in text
    assert "Börja på Komvux och läsa svenska på våren" in text
    assert "Skolverkets sju punkter" in text
    assert "Hemliga vägen" not in text
    assert AccessLog.objects.filter(action="print", youth=enrolment.youth).exists()


def test_occupation_is_updated_from_the_plan_page(coordinator_client, coordinator, enrolment):
    url = reverse("casework:plan_occupation", args=[enrolment.pk])
    response = coordinator_client.post(
        url, {"from_date": "2026-11-20", "kind": "internship", "extent_percent": 50, "note": ""}
    )
    assert response.status_code == 302
    occupation = enrolment.occupations.get()
    assert (occupation.kind, occupation.extent_percent, occupation.recorded_by) == (
        "internship",
        50,
        coordinator,
    )
    html = coordinator_client.get(plan_url(enrolment)).content.decode()
    assert 'data-occupation="internship"' in html


def test_occupation_refusal_is_shown_in_swedish(coordinator_client, enrolment):
    response = coordinator_client.post(
        reverse("casework:plan_occupation", args=[enrolment.pk]),
        {"from_date": "", "kind": "work", "extent_percent": 100},
    )
    assert response.status_code == 200
    assert "Detta fält måste fyllas i" in response.content.decode()
    assert not enrolment.occupations.exists()


@pytest.mark.parametrize("measure_count", [1, 12])
def test_plan_page_runs_a_fixed_number_of_queries(
    coordinator_client, enrolment, municipality, measure_count, django_assert_max_num_queries
):
    plan = PlanFactory(enrolment=enrolment)
    MappingFactory(enrolment=enrolment)
    for index in range(measure_count):
        MeasureFactory(
            plan=plan,
            responsible="other_actor",
            actor=ActorFactory(municipality=municipality, name=f"Aktör {index}"),
        )
    with django_assert_max_num_queries(8):
        response = coordinator_client.get(plan_url(enrolment))
    assert response.content.decode().count("data-measure=") == measure_count


def test_young_persons_page_shows_the_plan_section_and_links_back(coordinator_client, enrolment):
    PlanFactory(enrolment=enrolment, goal="Praktik inom handeln")
    html = coordinator_client.get(
        reverse("registry:youth_detail", args=[enrolment.youth.pk])
    ).content.decode()
    assert "Praktik inom handeln" in html
    assert reverse("casework:plan", args=[enrolment.pk]) in html
    plan_html = coordinator_client.get(plan_url(enrolment)).content.decode()
    assert reverse("registry:youth_detail", args=[enrolment.youth.pk]) in plan_html


def test_a_tampered_version_is_a_form_error_not_a_crash(coordinator_client, enrolment):
    response = coordinator_client.post(
        plan_url(enrolment), {"version": 5, "goal": "Mål", "planning": "Plan"}
    )
    assert response.status_code == 200
    assert "Det finns ingen sparad version ännu: ange version 0." in response.content.decode()
    assert not Plan.objects.exists()
    response = coordinator_client.post(
        reverse("casework:mapping", args=[enrolment.pk]), {"version": 5, "needs": "Stöd"}
    )
    assert response.status_code == 200
    assert "Det finns ingen sparad version ännu: ange version 0." in response.content.decode()
    assert not Mapping.objects.exists()


def test_opening_the_measure_pages_is_a_logged_read(coordinator_client, coordinator, enrolment):
    measure = MeasureFactory(plan=PlanFactory(enrolment=enrolment))
    for url in (
        reverse("casework:measure_create", args=[enrolment.pk]),
        reverse("casework:measure_edit", args=[measure.pk]),
        reverse("casework:measure_end", args=[measure.pk]),
    ):
        assert coordinator_client.get(url).status_code == 200
    logs = AccessLog.objects.filter(user=coordinator, youth=enrolment.youth, action="view_page")
    assert logs.count() == 3
