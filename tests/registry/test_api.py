"""The registry endpoints of docs/api.md: young people, enrolments, occupations, school notices."""

import datetime

import pytest
import time_machine

from registry.models import AccessLog, Enrolment, SchoolNotification, Youth
from registry.personnummer import synthetic
from tests.conftest import api_client_for
from tests.factories import EnrolmentFactory, MunicipalityFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def youth_body(n=0, birth=datetime.date(2009, 3, 10), **extra):
    digits = synthetic(birth, n)
    return {
        "personnummer": f"{digits[:8]}-{digits[8:]}",
        "first_name": "Ebba",
        "last_name": "Provsson",
        "street": "Provgatan 2",
        "postal_code": "999 99",
        "city": "Demostad",
        **extra,
    }


# --- Young people ---


def test_create_and_read_a_youth(coordinator_api, coordinator):
    response = coordinator_api.post("/api/v1/youths/", youth_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["personnummer"] == synthetic(datetime.date(2009, 3, 10), 0)
    assert body["birth_date"] == "2009-03-10"
    assert body["municipality"] == "0999"
    response = coordinator_api.get(f"/api/v1/youths/{body['id']}/")
    assert response.status_code == 200
    assert response.json()["street"] == "Provgatan 2"
    log = AccessLog.objects.get()
    assert (log.user, log.youth_id, log.action) == (coordinator, body["id"], "api_read")


def test_create_refuses_bad_personnummer_with_field_errors(coordinator_api):
    response = coordinator_api.post("/api/v1/youths/", youth_body() | {"personnummer": "123"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["personnummer"]
    assert "10 eller 12 siffror" in response.json()["errors"]["personnummer"][0]


def test_create_refuses_missing_fields(coordinator_api):
    response = coordinator_api.post("/api/v1/youths/", {"personnummer": "x"})
    assert response.status_code == 400
    assert {"first_name", "last_name"} <= set(response.json()["errors"])


def test_find_by_personnummer(coordinator_api, municipality):
    wanted = YouthFactory(municipality=municipality)
    YouthFactory.create_batch(3, municipality=municipality)
    short = f"{wanted.personnummer[2:8]}-{wanted.personnummer[8:]}"
    response = coordinator_api.post("/api/v1/youths/lookup/", {"personnummer": short})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None
    assert body["results"][0]["id"] == wanted.pk
    assert AccessLog.objects.filter(youth=wanted, action="api_read").count() == 1


def test_list_is_paginated(coordinator_api, municipality, settings):
    settings.API_PAGE_SIZE = 2
    YouthFactory.create_batch(3, municipality=municipality)
    body = coordinator_api.get("/api/v1/youths/").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2")
    assert len(coordinator_api.get(body["next"]).json()["results"]) == 1


def test_patch_changes_only_given_fields(coordinator_api, municipality):
    youth = YouthFactory(municipality=municipality)
    response = coordinator_api.patch(f"/api/v1/youths/{youth.pk}/", {"phone": "070-000 00 00"})
    assert response.status_code == 200
    youth.refresh_from_db()
    assert youth.phone == "070-000 00 00"
    assert youth.street == "Provgatan 1"
    assert AccessLog.objects.filter(youth=youth, action="api_read").count() == 1


def test_patch_refuses_bad_email(coordinator_api, municipality):
    youth = YouthFactory(municipality=municipality)
    response = coordinator_api.patch(f"/api/v1/youths/{youth.pk}/", {"email": "inte-en-adress"})
    assert response.status_code == 400
    assert "email" in response.json()["errors"]


def test_another_municipalitys_youth_is_404(coordinator_api, other_municipality):
    stranger = YouthFactory(municipality=other_municipality)
    assert coordinator_api.get(f"/api/v1/youths/{stranger.pk}/").status_code == 404
    assert (
        coordinator_api.patch(f"/api/v1/youths/{stranger.pk}/", {"phone": "1"}).status_code == 404
    )
    assert coordinator_api.get("/api/v1/youths/").json()["count"] == 0
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("fixture", ["board_secretary_api", "school_api"])
def test_roles_without_case_access_get_403(request, municipality, fixture):
    client = request.getfixturevalue(fixture)
    youth = YouthFactory(municipality=municipality)
    assert client.get("/api/v1/youths/").status_code == 403
    assert client.get(f"/api/v1/youths/{youth.pk}/").status_code == 403
    assert client.post("/api/v1/youths/", youth_body()).status_code == 403
    assert (
        client.post(
            "/api/v1/enrolments/",
            {"youth": youth.pk, "registered_on": "2026-09-01", "source": "other"},
        ).status_code
        == 403
    )


# --- Protected identity ---


@pytest.fixture
def protected(municipality, coordinator):
    youth = YouthFactory(municipality=municipality, protected_identity=True, street="Hemlig väg 1")
    EnrolmentFactory(youth=youth, coordinator=coordinator)
    return youth


def test_protected_address_only_for_the_assigned_coordinator(
    protected, coordinator_api, manager_api, other_coordinator
):
    assert coordinator_api.get(f"/api/v1/youths/{protected.pk}/").json()["street"] == "Hemlig väg 1"
    seen_by_manager = manager_api.get(f"/api/v1/youths/{protected.pk}/").json()
    assert seen_by_manager["street"] is None
    assert seen_by_manager["postal_code"] is None
    assert seen_by_manager["city"] is None
    assert "Hemlig" not in str(manager_api.get("/api/v1/youths/").json())
    other = api_client_for(other_coordinator)
    assert other.get(f"/api/v1/youths/{protected.pk}/").status_code == 404
    assert other.get("/api/v1/youths/").json()["count"] == 0
    enrolment = protected.enrolments.get()
    assert other.get(f"/api/v1/enrolments/{enrolment.pk}/").status_code == 404


# --- Enrolments ---


def test_register_read_and_end_an_enrolment(coordinator_api, municipality, coordinator):
    youth = YouthFactory(municipality=municipality, birth_date=datetime.date(2009, 3, 10))
    response = coordinator_api.post(
        "/api/v1/enrolments/",
        {
            "youth": youth.pk,
            "registered_on": "2026-09-01",
            "source": "studiebevis",
            "coordinator": coordinator.pk,
        },
    )
    assert response.status_code == 201, response.content
    enrolment_id = response.json()["id"]
    assert response.json()["is_active"] is True
    assert response.json()["coordinator"] == coordinator.pk
    body = coordinator_api.get(f"/api/v1/enrolments/{enrolment_id}/").json()
    assert body["registered_on"] == "2026-09-01"
    assert body["source"] == "studiebevis"
    response = coordinator_api.post(
        f"/api/v1/enrolments/{enrolment_id}/end/",
        {"ended_on": "2026-11-01", "reason": "started_upper_secondary"},
    )
    assert response.status_code == 200
    assert response.json()["ended_on"] == "2026-11-01"
    assert response.json()["reason"] == "started_upper_secondary"
    assert response.json()["is_active"] is False


@pytest.mark.parametrize(
    ("birth", "registered_on", "fragment"),
    [
        (datetime.date(2006, 8, 1), "2026-09-01", "fyllde 20"),
        (datetime.date(2011, 1, 1), "2026-09-01", "från 16 år"),
        (datetime.date(2009, 3, 10), "2026-11-25", "framtiden"),
    ],
)
def test_ineligible_registration_is_400(
    coordinator_api, municipality, birth, registered_on, fragment
):
    youth = YouthFactory(municipality=municipality, birth_date=birth)
    response = coordinator_api.post(
        "/api/v1/enrolments/",
        {"youth": youth.pk, "registered_on": registered_on, "source": "other"},
    )
    assert response.status_code == 400
    assert fragment in response.json()["errors"]["registered_on"][0]
    assert not Enrolment.objects.exists()


def test_im_student_is_400(coordinator_api, municipality):
    youth = YouthFactory(municipality=municipality, is_im_student=True)
    response = coordinator_api.post(
        "/api/v1/enrolments/", {"youth": youth.pk, "registered_on": "2026-09-01", "source": "other"}
    )
    assert response.status_code == 400
    assert "IM" in response.json()["errors"]["youth"][0]


def test_second_active_enrolment_is_409(coordinator_api, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = coordinator_api.post(
        "/api/v1/enrolments/",
        {"youth": enrolment.youth_id, "registered_on": "2026-10-01", "source": "other"},
    )
    assert response.status_code == 409
    assert "aktiv inskrivning" in response.json()["errors"]["youth"][0]
    assert Enrolment.objects.count() == 1


def test_bad_source_is_400(coordinator_api, municipality):
    youth = YouthFactory(municipality=municipality)
    response = coordinator_api.post(
        "/api/v1/enrolments/", {"youth": youth.pk, "registered_on": "2026-09-01", "source": "x"}
    )
    assert response.status_code == 400
    assert "source" in response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ended_on": "2026-11-01", "reason": "other"}, "reason_text"),
        ({"ended_on": "2026-11-01"}, "reason"),
        ({"ended_on": "2026-11-01", "reason": "bored"}, "reason"),
        ({"ended_on": "2026-08-01", "reason": "turned_20"}, "ended_on"),
    ],
)
def test_end_refusals(coordinator_api, municipality, body, field):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = coordinator_api.post(f"/api/v1/enrolments/{enrolment.pk}/end/", body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    enrolment.refresh_from_db()
    assert enrolment.is_active


def test_another_municipalitys_enrolment_is_404(coordinator_api, other_municipality):
    enrolment = EnrolmentFactory(youth__municipality=other_municipality)
    assert coordinator_api.get(f"/api/v1/enrolments/{enrolment.pk}/").status_code == 404
    response = coordinator_api.post(
        f"/api/v1/enrolments/{enrolment.pk}/end/", {"ended_on": "2026-11-01", "reason": "diploma"}
    )
    assert response.status_code == 404
    response = coordinator_api.post(
        "/api/v1/enrolments/",
        {"youth": enrolment.youth_id, "registered_on": "2026-10-01", "source": "other"},
    )
    assert response.status_code == 404
    assert coordinator_api.get(f"/api/v1/enrolments/{enrolment.pk}/occupations/").status_code == 404


# --- Occupations ---


def test_occupations_are_a_history(manager_api, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    url = f"/api/v1/enrolments/{enrolment.pk}/occupations/"
    first = manager_api.post(url, {"from_date": "2026-09-01", "kind": "unknown"})
    assert first.status_code == 201
    second = manager_api.post(
        url, {"from_date": "2026-10-01", "kind": "adult_education_part_time", "extent_percent": 50}
    )
    assert second.json()["scb_category"] == "studies_adult_education"
    body = manager_api.get(url).json()
    assert body["count"] == 2
    assert [row["kind"] for row in body["results"]] == ["adult_education_part_time", "unknown"]


def test_occupation_refusals(manager_api, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    url = f"/api/v1/enrolments/{enrolment.pk}/occupations/"
    assert (
        "kind" in manager_api.post(url, {"from_date": "2026-09-01", "kind": "x"}).json()["errors"]
    )
    response = manager_api.post(
        url, {"from_date": "2026-09-01", "kind": "work", "extent_percent": 150}
    )
    assert response.status_code == 400
    assert "extent_percent" in response.json()["errors"]


# --- School notifications ---


def notice(n=0, birth=datetime.date(2009, 3, 10), **extra):
    return {
        "personnummer": synthetic(birth, n),
        "first_name": "Nils",
        "last_name": "Provsson",
        "school": "Provgymnasiet",
        "left_on": "2026-11-20",
        "reason": "dropout_national_programme",
        **extra,
    }


def test_school_notification_creates_youth_and_enrolment_once(school_api, municipality):
    response = school_api.post("/api/v1/school-notifications/", notice())
    assert response.status_code == 202, response.content
    assert response.json()["received"] is True
    enrolment = Enrolment.objects.get()
    assert enrolment.registered_on == datetime.date(2026, 11, 20)
    assert enrolment.school == "Provgymnasiet"
    assert enrolment.source == "dropout_national_programme"

    again = school_api.post("/api/v1/school-notifications/", notice())
    assert again.status_code == 202
    assert again.json() == response.json()
    assert (Youth.objects.count(), Enrolment.objects.count()) == (1, 1)
    assert SchoolNotification.objects.count() == 1


def test_school_notification_for_a_known_enrolled_youth_changes_nothing(school_api, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    body = notice() | {"personnummer": enrolment.youth.personnummer}
    response = school_api.post("/api/v1/school-notifications/", body)
    assert response.status_code == 202
    assert set(response.json()) == {"received", "receipt"}
    stored = SchoolNotification.objects.get()
    assert stored.youth_id == enrolment.youth_id
    assert any("aktiv inskrivning" in m for m in stored.messages)
    assert Enrolment.objects.count() == 1


def test_school_notification_for_someone_over_twenty_adds_nobody(school_api, municipality):
    response = school_api.post(
        "/api/v1/school-notifications/", notice(birth=datetime.date(2005, 1, 1))
    )
    assert response.status_code == 202
    assert set(response.json()) == {"received", "receipt"}
    assert not Youth.objects.exists()


def test_school_notification_refuses_bad_personnummer(school_api):
    response = school_api.post(
        "/api/v1/school-notifications/", notice(personnummer="20090310-0000")
    )
    assert response.status_code == 400
    assert "personnummer" in response.json()["errors"]


def test_school_notification_is_school_only(coordinator_api, manager_api):
    for client in (coordinator_api, manager_api):
        assert client.post("/api/v1/school-notifications/", notice()).status_code == 403


def test_school_notification_stays_in_the_schools_municipality(school_api, municipality):
    elsewhere = MunicipalityFactory(code="0997")
    other_school = api_client_for(
        UserFactory(username="skola2", role="school", municipality=elsewhere)
    )
    assert school_api.post("/api/v1/school-notifications/", notice()).status_code == 202
    assert other_school.post("/api/v1/school-notifications/", notice()).status_code == 202
    assert Youth.objects.filter(municipality=municipality).count() == 1
    assert Youth.objects.filter(municipality=elsewhere).count() == 1


def test_openapi_lists_the_registry_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/youths/",
        "/api/v1/youths/{youth_id}/",
        "/api/v1/enrolments/",
        "/api/v1/enrolments/{enrolment_id}/",
        "/api/v1/enrolments/{enrolment_id}/end/",
        "/api/v1/enrolments/{enrolment_id}/occupations/",
        "/api/v1/school-notifications/",
    ]:
        assert path in paths


# --- Review round: access log, protection, boundaries, messages ---


def test_every_api_read_of_a_record_is_logged(coordinator_api, coordinator, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    youth_id = enrolment.youth_id
    coordinator_api.get(f"/api/v1/enrolments/{enrolment.pk}/")
    coordinator_api.get(f"/api/v1/enrolments/{enrolment.pk}/occupations/")
    coordinator_api.get(f"/api/v1/youths/{youth_id}/")
    coordinator_api.get("/api/v1/youths/")
    rows = list(AccessLog.objects.order_by("at", "pk").values_list("user", "youth", "action"))
    assert rows == [(coordinator.pk, youth_id, "api_read")] * 4
    assert AccessLog.objects.filter(ip_address__isnull=True).count() == 0


def test_list_logs_each_youth_in_a_fixed_number_of_queries(
    coordinator_api, municipality, django_assert_max_num_queries
):
    YouthFactory.create_batch(3, municipality=municipality)
    with django_assert_max_num_queries(12) as few:
        coordinator_api.get("/api/v1/youths/")
    YouthFactory.create_batch(30, municipality=municipality)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = coordinator_api.get("/api/v1/youths/").json()
    assert body["count"] == 33
    assert AccessLog.objects.count() == 3 + len(body["results"])


def test_manager_cannot_lift_the_protection_to_see_the_address(protected, manager_api):
    response = manager_api.patch(f"/api/v1/youths/{protected.pk}/", {"protected_identity": False})
    assert response.status_code == 400
    assert "tilldelade koordinatorn" in response.json()["errors"]["protected_identity"][0]
    protected.refresh_from_db()
    assert protected.protected_identity is True


def test_assigned_coordinator_can_lift_the_protection(protected, coordinator_api):
    response = coordinator_api.patch(
        f"/api/v1/youths/{protected.pk}/", {"protected_identity": False}
    )
    assert response.status_code == 200
    assert response.json()["protected_identity"] is False


@pytest.mark.parametrize(
    ("registered_on", "status"),
    [
        ("2025-03-09", 400),  # the day before the 16th birthday
        ("2025-03-10", 201),  # the 16th birthday
    ],
)
def test_registration_on_the_sixteenth_birthday(
    coordinator_api, municipality, registered_on, status
):
    youth = YouthFactory(municipality=municipality, birth_date=datetime.date(2009, 3, 10))
    response = coordinator_api.post(
        "/api/v1/enrolments/",
        {"youth": youth.pk, "registered_on": registered_on, "source": "other"},
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("registered_on", "status"),
    [
        ("2026-11-23", 201),  # the day before the 20th birthday
        ("2026-11-24", 400),  # the 20th birthday (today)
    ],
)
def test_registration_on_the_twentieth_birthday(
    coordinator_api, municipality, registered_on, status
):
    youth = YouthFactory(municipality=municipality, birth_date=datetime.date(2006, 11, 24))
    response = coordinator_api.post(
        "/api/v1/enrolments/",
        {"youth": youth.pk, "registered_on": registered_on, "source": "other"},
    )
    assert response.status_code == status, response.content
    if status == 400:
        assert "fyllde 20 år den 2026-11-24" in response.json()["errors"]["registered_on"][0]


def test_unknown_code_error_lists_the_codes_in_swedish(coordinator_api, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    response = coordinator_api.post(
        f"/api/v1/enrolments/{enrolment.pk}/end/", {"ended_on": "2026-11-01", "reason": "bored"}
    )
    message = response.json()["errors"]["reason"][0]
    assert message.startswith("Ogiltigt val. Använd en av:")
    assert "'turned_20'" in message and " eller 'other'" in message
    assert "Input should be" not in message


def test_school_notification_sent_twice_changes_nothing(school_api, municipality):
    digits = synthetic(datetime.date(2008, 5, 5), 3)
    body = {
        "personnummer": digits,
        "first_name": "Sara",
        "last_name": "Provsson",
        "school": "Provgymnasiet",
        "left_on": "2026-11-02",
        "reason": "dropout_national_programme",
    }
    first = school_api.post("/api/v1/school-notifications/", body)
    assert first.status_code == 202
    counts = (Youth.objects.count(), Enrolment.objects.count(), SchoolNotification.objects.count())
    # The same notice again, even with the name spelled differently and the dashed number.
    again = school_api.post(
        "/api/v1/school-notifications/",
        body | {"first_name": "SARA", "personnummer": f"{digits[:8]}-{digits[8:]}"},
    )
    assert again.status_code == 202
    assert again.json()["receipt"] == first.json()["receipt"]
    assert counts == (
        Youth.objects.count(),
        Enrolment.objects.count(),
        SchoolNotification.objects.count(),
    )
    assert Youth.objects.get().first_name == "Sara"


def test_school_notification_for_an_im_student_registers_nothing(school_api, municipality):
    youth = YouthFactory(municipality=municipality, is_im_student=True)
    response = school_api.post(
        "/api/v1/school-notifications/",
        {
            "personnummer": youth.personnummer,
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "school": "Provgymnasiet",
            "left_on": "2026-11-02",
        },
    )
    assert response.status_code == 202
    assert set(response.json()) == {"received", "receipt"}
    assert any("introduktionsprogram" in m for m in SchoolNotification.objects.get().messages)
    assert not Enrolment.objects.exists()
