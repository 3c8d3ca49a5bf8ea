"""The registry pages: list, young person's page, forms, protected identity, access log."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import RoutineState
from registry.models import AccessLog, Enrolment, Occupation, Youth
from registry.personnummer import synthetic
from tests.conftest import logged_in_client
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db

LIST = reverse("registry:youth_list")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def detail(youth):
    return reverse("registry:youth_detail", args=[youth.pk])


def listed_ids(response):
    return [youth.pk for youth in response.context["page"]]


# --- The list ---


def test_list_shows_masked_personnummer_only(coordinator_client, municipality):
    youth = YouthFactory(municipality=municipality)
    html = coordinator_client.get(LIST).content.decode()
    assert youth.masked_personnummer in html
    assert youth.personnummer not in html
    assert youth.formatted_personnummer not in html


def test_list_search_by_name_and_personnummer(coordinator_client, municipality):
    wanted = YouthFactory(municipality=municipality, first_name="Signe", last_name="Lind")
    YouthFactory(municipality=municipality, first_name="Olle", last_name="Berg")
    assert listed_ids(coordinator_client.post(LIST, {"q": "sig lin"}, follow=True)) == [wanted.pk]
    assert listed_ids(
        coordinator_client.post(LIST, {"q": wanted.formatted_personnummer}, follow=True)
    ) == [wanted.pk]
    short = f"{wanted.personnummer[2:8]}-{wanted.personnummer[8:]}"
    assert listed_ids(coordinator_client.post(LIST, {"q": short}, follow=True)) == [wanted.pk]


def test_list_filters(coordinator_client, municipality, coordinator, other_coordinator):
    active_mine = EnrolmentFactory(
        youth__municipality=municipality, coordinator=coordinator, source="studiebevis"
    )
    active_other = EnrolmentFactory(
        youth__municipality=municipality, coordinator=other_coordinator, source="never_started"
    )
    ended = EnrolmentFactory(
        youth__municipality=municipality,
        ended_on=datetime.date(2026, 10, 1),
        end_reason="turned_20",
    )
    never = YouthFactory(municipality=municipality)
    RoutineState.objects.update_or_create(
        enrolment=active_mine, defaults={"contact_established_on": datetime.date(2026, 9, 5)}
    )
    Occupation.objects.create(
        enrolment=active_other, from_date=datetime.date(2026, 9, 1), kind="work"
    )

    def ids(**params):
        return set(listed_ids(coordinator_client.get(LIST, params)))

    assert ids(status="active") == {active_mine.youth_id, active_other.youth_id}
    assert ids(status="ended") == {ended.youth_id}
    assert ids(status="none") == {never.pk}
    assert ids(coordinator=str(coordinator.pk)) == {active_mine.youth_id}
    assert ids(coordinator="none") == {ended.youth_id}
    assert ids(source="never_started") == {active_other.youth_id}
    assert ids(occupation="work") == {active_other.youth_id}
    assert ids(reached="yes") == {active_mine.youth_id}
    assert ids(reached="no") == {active_other.youth_id, ended.youth_id}


def test_list_sorting(coordinator_client, municipality):
    b = YouthFactory(municipality=municipality, last_name="Bengtsson")
    a = YouthFactory(municipality=municipality, last_name="Andersson")
    c = YouthFactory(municipality=municipality, last_name="Carlsson")
    assert listed_ids(coordinator_client.get(LIST)) == [a.pk, b.pk, c.pk]
    assert listed_ids(coordinator_client.get(LIST, {"sort": "-name"})) == [c.pk, b.pk, a.pk]
    EnrolmentFactory(youth=c, registered_on=datetime.date(2026, 10, 1))
    EnrolmentFactory(youth=a, registered_on=datetime.date(2026, 9, 1))
    assert listed_ids(coordinator_client.get(LIST, {"sort": "-registered"}))[:2] == [c.pk, a.pk]


def test_list_query_count_does_not_grow_with_rows(coordinator_client, municipality, coordinator):
    def make(n):
        for _ in range(n):
            enrolment = EnrolmentFactory(youth__municipality=municipality, coordinator=coordinator)
            Occupation.objects.create(
                enrolment=enrolment, from_date=datetime.date(2026, 9, 2), kind="work"
            )
            RoutineState.objects.update_or_create(
                enrolment=enrolment, defaults={"contact_established_on": datetime.date(2026, 9, 3)}
            )

    make(3)
    with CaptureQueriesContext(connection) as few:
        assert coordinator_client.get(LIST).status_code == 200
    make(30)
    with CaptureQueriesContext(connection) as many:
        response = coordinator_client.get(LIST)
    assert len(response.context["page"]) == 33
    assert len(many) == len(few)
    print(f"youth list: {len(many)} queries for 33 rows")
    assert len(many) <= 10


def test_list_paginates(coordinator_client, municipality):
    YouthFactory.create_batch(51, municipality=municipality)
    first = coordinator_client.get(LIST)
    assert len(first.context["page"]) == 50
    assert "page=2" in first.content.decode()
    assert len(coordinator_client.get(LIST, {"page": 2}).context["page"]) == 1


def test_list_only_own_municipality(coordinator_client, other_municipality):
    YouthFactory(municipality=other_municipality)
    assert listed_ids(coordinator_client.get(LIST)) == []


def test_board_secretary_may_not_see_young_people(board_secretary_client, municipality):
    youth = YouthFactory(municipality=municipality)
    assert board_secretary_client.get(LIST).status_code == 403
    assert board_secretary_client.get(detail(youth)).status_code == 403


# --- The young person's page ---


def test_detail_shows_enrolments_occupations_and_history(
    coordinator_client, coordinator, municipality
):
    enrolment = EnrolmentFactory(youth__municipality=municipality, coordinator=coordinator)
    youth = enrolment.youth
    response = coordinator_client.post(
        reverse("registry:occupation_create", args=[enrolment.pk]),
        {"from_date": "2026-10-01", "kind": "adult_education_part_time", "extent_percent": 50},
    )
    assert response.status_code == 302
    html = coordinator_client.get(detail(youth)).content.decode()
    assert youth.formatted_personnummer in html
    assert "Vuxenutbildning, deltid" in html
    assert "resten av veckan" in html
    assert f'data-enrolment="{enrolment.pk}"' in html
    assert "Ändringshistorik" in html
    assert str(coordinator) in html


def test_detail_includes_the_casework_sections_inside_the_enrolment(
    coordinator_client, municipality
):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = coordinator_client.get(detail(enrolment.youth))
    names = [template.name for template in response.templates]
    assert "casework/partials/enrolment_contact_section.html" in names
    assert "casework/partials/enrolment_plan_section.html" in names


def test_every_opening_is_logged_with_ip(coordinator, municipality):
    youth = YouthFactory(municipality=municipality)
    client = logged_in_client(coordinator)
    client.get(detail(youth), REMOTE_ADDR="10.9.8.7")
    client.get(detail(youth), REMOTE_ADDR="10.9.8.7")
    rows = AccessLog.objects.filter(youth=youth, user=coordinator, action="view_page")
    assert rows.count() == 2
    assert rows.first().ip_address == "10.9.8.7"


def test_another_municipalitys_young_person_is_404(coordinator_client, other_municipality):
    youth = YouthFactory(municipality=other_municipality)
    assert coordinator_client.get(detail(youth)).status_code == 404
    assert not AccessLog.objects.exists()


# --- Protected identity, per role ---


@pytest.fixture
def protected(municipality, coordinator):
    youth = YouthFactory(
        municipality=municipality, protected_identity=True, street="Hemlig gatan 7", city="Gömda"
    )
    EnrolmentFactory(youth=youth, coordinator=coordinator)
    return youth


def test_assigned_coordinator_sees_the_address(coordinator_client, protected):
    html = coordinator_client.get(detail(protected)).content.decode()
    assert "Hemlig gatan 7" in html
    assert protected.pk in listed_ids(coordinator_client.get(LIST))


def test_other_coordinator_does_not_see_the_person_at_all(other_coordinator, protected):
    client = logged_in_client(other_coordinator)
    assert client.get(detail(protected)).status_code == 404
    assert client.get(reverse("registry:youth_edit", args=[protected.pk])).status_code == 404
    enrolment = protected.enrolments.get()
    assert client.get(reverse("registry:enrolment_end", args=[enrolment.pk])).status_code == 404
    assert protected.pk not in listed_ids(client.get(LIST))
    assert (
        client.post(LIST, {"q": protected.formatted_personnummer}, follow=True)
        .context["page"]
        .paginator.count
        == 0
    )


def test_manager_sees_the_case_without_the_address(manager_client, protected):
    html = manager_client.get(detail(protected)).content.decode()
    assert protected.full_name in html
    assert "Hemlig gatan 7" not in html
    assert "Gömda" not in html
    edit = manager_client.get(reverse("registry:youth_edit", args=[protected.pk]))
    assert "street" not in edit.context["form"].fields
    assert "Hemlig" not in edit.content.decode()


def test_manager_history_hides_the_protected_address(manager_client, coordinator_client, protected):
    coordinator_client.post(
        reverse("registry:youth_edit", args=[protected.pk]),
        {
            "personnummer": protected.personnummer,
            "first_name": protected.first_name,
            "last_name": protected.last_name,
            "street": "Ny hemlig väg 3",
            "protected_identity": "on",
            **guardian_management(),
        },
    )
    protected.refresh_from_db()
    assert protected.street == "Ny hemlig väg 3"
    assert "Ny hemlig väg 3" in coordinator_client.get(detail(protected)).content.decode()
    assert "Ny hemlig väg 3" not in manager_client.get(detail(protected)).content.decode()


def test_manager_edit_keeps_the_hidden_address(manager_client, protected):
    response = manager_client.post(
        reverse("registry:youth_edit", args=[protected.pk]),
        {
            "personnummer": protected.personnummer,
            "first_name": protected.first_name,
            "last_name": "Nytt-Efternamn",
            "protected_identity": "on",
            **guardian_management(),
        },
    )
    assert response.status_code == 302
    protected.refresh_from_db()
    assert protected.last_name == "Nytt-Efternamn"
    assert protected.street == "Hemlig gatan 7"


# --- Forms ---


def guardian_management(total=2):
    return {
        "guardians-TOTAL_FORMS": str(total),
        "guardians-INITIAL_FORMS": "0",
        "guardians-MIN_NUM_FORMS": "0",
        "guardians-MAX_NUM_FORMS": "6",
    }


def create_data(**extra):
    digits = synthetic(datetime.date(2010, 2, 3), 5)
    return {
        "personnummer": f"{digits[:8]}-{digits[8:]}",
        "first_name": "Vera",
        "last_name": "Provdotter",
        "street": "Provvägen 3",
        "guardians-0-name": "Anna Provdotter",
        "guardians-0-phone": "070-123 45 67",
        **guardian_management(),
        "register_now": "1",
        "enrolment-registered_on": "2026-11-20",
        "enrolment-source": "dropout_national_programme",
        "enrolment-school": "Provgymnasiet",
        "enrolment-initial_occupation": "unknown",
        **extra,
    }


def test_create_youth_with_guardian_and_enrolment(coordinator_client, coordinator, municipality):
    response = coordinator_client.post(
        reverse("registry:youth_create"), create_data(**{"enrolment-coordinator": coordinator.pk})
    )
    youth = Youth.objects.get()
    assert response.status_code == 302
    assert response.url == detail(youth)
    assert youth.birth_date == datetime.date(2010, 2, 3)
    assert youth.guardians.get().phone == "070-123 45 67"
    enrolment = youth.enrolments.get()
    assert enrolment.coordinator == coordinator
    assert enrolment.occupations.get().kind == "unknown"


def test_create_shows_personnummer_error_in_swedish(coordinator_client):
    response = coordinator_client.post(
        reverse("registry:youth_create"), create_data(personnummer="20100203-0000")
    )
    assert response.status_code == 200
    assert "Kontrollsiffran stämmer inte" in response.content.decode()
    assert not Youth.objects.exists()


def test_create_with_ineligible_enrolment_writes_nothing(coordinator_client):
    digits = synthetic(datetime.date(2011, 6, 1), 1)
    response = coordinator_client.post(
        reverse("registry:youth_create"), create_data(personnummer=digits)
    )
    assert response.status_code == 200
    assert "från 16 år" in response.content.decode()
    assert not Youth.objects.exists()


def test_create_without_enrolment(coordinator_client):
    data = create_data()
    del data["register_now"]
    assert coordinator_client.post(reverse("registry:youth_create"), data).status_code == 302
    assert Youth.objects.get().enrolments.count() == 0


def test_register_enrolment_refuses_a_second_active_one(coordinator_client, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = coordinator_client.post(
        reverse("registry:enrolment_create", args=[enrolment.youth_id]),
        {"registered_on": "2026-11-01", "source": "other"},
    )
    assert response.status_code == 200
    assert "redan en aktiv inskrivning" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_register_enrolment_refuses_an_im_student(coordinator_client, municipality):
    youth = YouthFactory(municipality=municipality, is_im_student=True)
    response = coordinator_client.post(
        reverse("registry:enrolment_create", args=[youth.pk]),
        {"registered_on": "2026-11-01", "source": "other"},
    )
    assert "introduktionsprogram" in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ended_on": "2026-11-20", "reason": ""}, "Ange orsak till avregistrering"),
        ({"ended_on": "2026-11-20", "reason": "other"}, "Beskriv orsaken"),
    ],
)
def test_end_enrolment_requires_a_reason(coordinator_client, municipality, data, message):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = coordinator_client.post(reverse("registry:enrolment_end", args=[enrolment.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.is_active


def test_end_enrolment(coordinator_client, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = coordinator_client.post(
        reverse("registry:enrolment_end", args=[enrolment.pk]),
        {"ended_on": "2026-11-20", "reason": "started_upper_secondary"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.end_reason == "started_upper_secondary"
    html = coordinator_client.get(detail(enrolment.youth)).content.decode()
    assert "Påbörjat gymnasieutbildning" in html


def test_manager_assigns_a_coordinator(manager_client, municipality, other_coordinator):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = manager_client.post(
        reverse("registry:enrolment_assign", args=[enrolment.pk]),
        {"coordinator": other_coordinator.pk},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.coordinator == other_coordinator


def test_coordinator_may_not_assign(coordinator_client, municipality, other_coordinator):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = coordinator_client.post(
        reverse("registry:enrolment_assign", args=[enrolment.pk]),
        {"coordinator": other_coordinator.pk},
    )
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.coordinator is None


def test_edit_adds_a_guardian_and_keeps_history(coordinator_client, coordinator, municipality):
    youth = YouthFactory(municipality=municipality)
    data = {
        "personnummer": youth.personnummer,
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "street": youth.street,
        "postal_code": youth.postal_code,
        "city": youth.city,
        "phone": "070-555 55 55",
        "guardians-0-name": "Per Förälder",
        **guardian_management(),
    }
    assert (
        coordinator_client.post(reverse("registry:youth_edit", args=[youth.pk]), data).status_code
        == 302
    )
    youth.refresh_from_db()
    assert youth.phone == "070-555 55 55"
    assert youth.guardians.get().name == "Per Förälder"
    assert youth.history.first().history_user == coordinator
    html = coordinator_client.get(detail(youth)).content.decode()
    assert "070-555 55 55" in html
    assert "Per Förälder" in html


# --- Access log pages ---


def test_manager_reviews_the_access_log_per_youth_and_per_user(
    manager_client, coordinator, municipality
):
    youth = YouthFactory(municipality=municipality)
    logged_in_client(coordinator).get(detail(youth), REMOTE_ADDR="10.0.0.5")
    per_youth = manager_client.get(reverse("registry:access_log_youth", args=[youth.pk]))
    assert "10.0.0.5" in per_youth.content.decode()
    assert str(coordinator) in per_youth.content.decode()
    per_user = manager_client.get(reverse("registry:access_log_user", args=[coordinator.pk]))
    assert youth.full_name in per_user.content.decode()
    users = manager_client.get(reverse("registry:access_log_users")).content.decode()
    assert str(coordinator) in users


def test_access_log_is_for_managers_only(coordinator_client, coordinator, municipality):
    youth = YouthFactory(municipality=municipality)
    assert coordinator_client.get(reverse("registry:access_log_users")).status_code == 403
    assert (
        coordinator_client.get(reverse("registry:access_log_youth", args=[youth.pk])).status_code
        == 403
    )
    assert (
        coordinator_client.get(
            reverse("registry:access_log_user", args=[coordinator.pk])
        ).status_code
        == 403
    )


# --- Review round ---


def test_opening_the_edit_form_is_logged(coordinator_client, coordinator, municipality):
    youth = YouthFactory(municipality=municipality)
    coordinator_client.get(reverse("registry:youth_edit", args=[youth.pk]))
    log = AccessLog.objects.get()
    assert (log.user, log.youth, log.action) == (coordinator, youth, "view_page")


def test_manager_cannot_lift_the_protection_on_the_form(manager_client, protected):
    url = reverse("registry:youth_edit", args=[protected.pk])
    form = manager_client.get(url).context["form"]
    assert form.fields["protected_identity"].disabled
    response = manager_client.post(
        url,
        {
            "personnummer": protected.personnummer,
            "first_name": protected.first_name,
            "last_name": protected.last_name,
            **guardian_management(),
        },
    )
    assert response.status_code == 302
    protected.refresh_from_db()
    assert protected.protected_identity is True
    assert "Hemlig gatan 7" not in manager_client.get(detail(protected)).content.decode()


def test_creating_an_im_student_with_an_enrolment_is_refused_and_says_why(
    coordinator_client, manager_api
):
    data = create_data(is_im_student="on", personnummer=synthetic(datetime.date(2009, 2, 3), 6))
    response = coordinator_client.post(reverse("registry:youth_create"), data)
    assert response.status_code == 200
    assert "Ungdomen är elev på introduktionsprogram (IM)" in response.content.decode()
    assert not Youth.objects.exists()
    del data["register_now"]
    assert coordinator_client.post(reverse("registry:youth_create"), data).status_code == 302
    youth = Youth.objects.get()
    assert youth.is_im_student and not youth.enrolments.exists()
    detail_page = coordinator_client.get(detail(youth)).content.decode()
    assert reverse("registry:enrolment_create", args=[youth.pk]) not in detail_page
    figures = manager_api.get(
        "/api/v1/reports/key-figures/", {"from": "2026-07-01", "to": "2026-11-24"}
    ).json()
    assert figures["figures"]["im_students"]["current"] == 1


def test_no_enrolment_is_offered_after_the_twentieth_birthday(coordinator_client, municipality):
    turned = YouthFactory(municipality=municipality, birth_date=datetime.date(2006, 11, 24))
    html = coordinator_client.get(detail(turned)).content.decode()
    assert reverse("registry:enrolment_create", args=[turned.pk]) not in html
    assert "fyllde 20 den 2026-11-24" in html
    assert "data-over-age" in html
    almost = YouthFactory(municipality=municipality, birth_date=datetime.date(2006, 11, 25))
    html = coordinator_client.get(detail(almost)).content.decode()
    assert reverse("registry:enrolment_create", args=[almost.pk]) in html
    assert "fyller 20 den 2026-11-25" in html


def test_the_same_personnummer_finds_the_existing_person(coordinator_client, municipality):
    existing = YouthFactory(municipality=municipality)
    data = create_data(personnummer=existing.formatted_personnummer)
    del data["register_now"]
    response = coordinator_client.post(reverse("registry:youth_create"), data)
    html = response.content.decode()
    assert "Det finns redan en ungdom med personnumret" in html
    assert reverse("registry:youth_detail", args=[existing.pk]) in html
    assert Youth.objects.count() == 1


def test_same_name_and_birth_date_with_another_number_is_shown_for_review(
    coordinator_client, municipality
):
    birth = datetime.date(2010, 2, 3)
    YouthFactory(
        municipality=municipality,
        birth_date=birth,
        personnummer=synthetic(birth, 1),
        first_name="Vera",
        last_name="Provdotter",
    )
    data = create_data()
    del data["register_now"]
    response = coordinator_client.post(reverse("registry:youth_create"), data, follow=True)
    assert "Att granska: Vera Provdotter med samma födelsedatum" in response.content.decode()
    assert Youth.objects.count() == 2


def test_a_protected_look_alike_is_not_revealed(coordinator_client, municipality):
    birth = datetime.date(2010, 2, 3)
    YouthFactory(
        municipality=municipality,
        birth_date=birth,
        personnummer=synthetic(birth, 1),
        first_name="Vera",
        last_name="Provdotter",
        protected_identity=True,
    )
    data = create_data()
    del data["register_now"]
    response = coordinator_client.post(reverse("registry:youth_create"), data, follow=True)
    assert "Att granska" not in response.content.decode()


def test_an_unknown_filter_value_drops_only_that_filter(coordinator_client, municipality):
    wanted = YouthFactory(municipality=municipality, last_name="Sökbar")
    YouthFactory(municipality=municipality, last_name="Annan")
    response = coordinator_client.post(LIST, {"q": "sökbar", "coordinator": "99999"}, follow=True)
    assert response.status_code == 200
    assert listed_ids(response) == [wanted.pk]
