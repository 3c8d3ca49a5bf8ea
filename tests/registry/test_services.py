"""Registry services: young people, enrolments, occupations, the access log."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from registry import services
from registry.models import AccessLog, EndReason, Enrolment, Occupation, Source, Youth
from registry.personnummer import synthetic
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def make_youth(municipality, coordinator, birth=datetime.date(2009, 3, 10), n=0, **extra):
    return services.youth_create(
        user=coordinator,
        municipality=municipality,
        personnummer=synthetic(birth, n),
        first_name="Ebba",
        last_name="Provsson",
        **extra,
    )


def test_youth_create_normalises_the_personnummer_and_derives_the_birth_date(
    municipality, coordinator
):
    digits = synthetic(datetime.date(2009, 3, 10), 3)
    youth = services.youth_create(
        user=coordinator,
        municipality=municipality,
        personnummer=f"{digits[2:8]}-{digits[8:]}",
        first_name=" Ebba ",
        last_name="Provsson",
    )
    youth.refresh_from_db()
    assert youth.personnummer == digits
    assert youth.birth_date == datetime.date(2009, 3, 10)
    assert youth.first_name == "Ebba"
    assert youth.history.get().history_user == coordinator


def test_youth_create_refuses_a_bad_personnummer(municipality, coordinator):
    with pytest.raises(ValidationError) as error:
        services.youth_create(
            user=coordinator,
            municipality=municipality,
            personnummer="20090310-9801",
            first_name="A",
            last_name="B",
        )
    assert "Kontrollsiffran" in error.value.message_dict["personnummer"][0]
    assert not Youth.objects.exists()


def test_youth_personnummer_is_unique_per_municipality(
    municipality, other_municipality, coordinator
):
    make_youth(municipality, coordinator)
    with pytest.raises(ValidationError) as error:
        make_youth(municipality, coordinator)
    assert "finns redan" in error.value.message_dict["personnummer"][0]
    # Another municipality may register the same person.
    make_youth(other_municipality, coordinator)
    assert Youth.objects.count() == 2


def test_enrolment_register_records_who_and_when(municipality, coordinator):
    youth = make_youth(municipality, coordinator)
    enrolment = services.enrolment_register(
        user=coordinator,
        youth=youth,
        registered_on=datetime.date(2026, 9, 1),
        source=Source.STUDIEBEVIS,
        school="Provskolan",
        coordinator=coordinator,
        initial_occupation="work",
    )
    assert enrolment.is_active
    assert enrolment.municipality == municipality
    assert enrolment.history.get().history_user == coordinator
    assert enrolment.occupations.get().kind == "work"
    assert enrolment.occupations.get().from_date == datetime.date(2026, 9, 1)


@pytest.mark.parametrize(
    ("birth", "registered_on", "field", "fragment"),
    [
        (datetime.date(2010, 11, 25), TODAY, "registered_on", "från 16 år"),
        (datetime.date(2006, 9, 1), datetime.date(2026, 9, 1), "registered_on", "fyllde 20"),
        (
            datetime.date(2009, 3, 10),
            TODAY + datetime.timedelta(days=1),
            "registered_on",
            "framtiden",
        ),
    ],
)
def test_enrolment_register_refuses_the_ineligible(
    municipality, coordinator, birth, registered_on, field, fragment
):
    youth = make_youth(municipality, coordinator, birth=birth)
    with pytest.raises(ValidationError) as error:
        services.enrolment_register(
            user=coordinator, youth=youth, registered_on=registered_on, source=Source.OTHER
        )
    assert not isinstance(error.value, services.ActiveEnrolmentExists)
    assert fragment in " ".join(error.value.message_dict[field])
    assert not Enrolment.objects.exists()


def test_enrolment_register_accepts_the_day_before_the_twentieth_birthday(
    municipality, coordinator
):
    youth = make_youth(municipality, coordinator, birth=datetime.date(2006, 9, 2))
    enrolment = services.enrolment_register(
        user=coordinator, youth=youth, registered_on=datetime.date(2026, 9, 1), source="other"
    )
    assert enrolment.pk


def test_im_student_is_refused(municipality, coordinator):
    youth = make_youth(municipality, coordinator, is_im_student=True)
    with pytest.raises(ValidationError) as error:
        services.enrolment_register(
            user=coordinator, youth=youth, registered_on=TODAY, source="other"
        )
    assert "IM" in error.value.message_dict["youth"][0]


def test_second_active_enrolment_raises_active_enrolment_exists(municipality, coordinator):
    youth = make_youth(municipality, coordinator)
    services.enrolment_register(
        user=coordinator, youth=youth, registered_on=datetime.date(2026, 9, 1), source="other"
    )
    with pytest.raises(services.ActiveEnrolmentExists):
        services.enrolment_register(
            user=coordinator, youth=youth, registered_on=TODAY, source="other"
        )
    assert Enrolment.objects.count() == 1


def test_a_new_enrolment_after_the_end(municipality, coordinator):
    youth = make_youth(municipality, coordinator)
    first = services.enrolment_register(
        user=coordinator, youth=youth, registered_on=datetime.date(2026, 1, 10), source="other"
    )
    services.enrolment_end(
        user=coordinator,
        enrolment=first,
        ended_on=datetime.date(2026, 3, 1),
        reason=EndReason.MOVED_AWAY,
    )
    second = services.enrolment_register(
        user=coordinator, youth=youth, registered_on=TODAY, source="moved_in"
    )
    assert youth.enrolments.count() == 2
    assert second.is_active


def test_coordinator_must_be_a_coordinator_of_the_municipality(
    municipality, other_municipality, coordinator, manager
):
    youth = make_youth(municipality, coordinator)
    stranger = UserFactory(username="annan", municipality=other_municipality)
    for wrong in (manager, stranger):
        with pytest.raises(ValidationError) as error:
            services.enrolment_register(
                user=coordinator,
                youth=youth,
                registered_on=TODAY,
                source="other",
                coordinator=wrong,
            )
        assert "coordinator" in error.value.message_dict


@pytest.mark.parametrize(
    ("reason", "reason_text", "field"),
    [("", "", "reason"), ("other", "", "reason_text"), ("nonsense", "", "reason")],
)
def test_enrolment_end_requires_a_reason(municipality, coordinator, reason, reason_text, field):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    with pytest.raises(ValidationError) as error:
        services.enrolment_end(
            user=coordinator,
            enrolment=enrolment,
            ended_on=TODAY,
            reason=reason,
            reason_text=reason_text,
        )
    assert field in error.value.message_dict
    enrolment.refresh_from_db()
    assert enrolment.ended_on is None


def test_enrolment_end_with_other_and_text(municipality, coordinator):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    services.enrolment_end(
        user=coordinator,
        enrolment=enrolment,
        ended_on=TODAY,
        reason="other",
        reason_text="Flyttat till släkting i Norge",
    )
    enrolment.refresh_from_db()
    assert enrolment.ended_on == TODAY
    assert enrolment.end_reason_text == "Flyttat till släkting i Norge"
    assert enrolment.history.first().history_user == coordinator


@pytest.mark.parametrize(
    "ended_on", [datetime.date(2026, 8, 31), TODAY + datetime.timedelta(days=1)]
)
def test_enrolment_end_date_between_registration_and_today(municipality, coordinator, ended_on):
    enrolment = EnrolmentFactory(youth__municipality=municipality)  # registered 2026-09-01
    with pytest.raises(ValidationError) as error:
        services.enrolment_end(
            user=coordinator, enrolment=enrolment, ended_on=ended_on, reason="turned_20"
        )
    assert "ended_on" in error.value.message_dict


def test_an_ended_enrolment_cannot_be_ended_again(municipality, coordinator):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    services.enrolment_end(user=coordinator, enrolment=enrolment, ended_on=TODAY, reason="diploma")
    with pytest.raises(ValidationError):
        services.enrolment_end(
            user=coordinator, enrolment=enrolment, ended_on=TODAY, reason="turned_20"
        )
    enrolment.refresh_from_db()
    assert enrolment.end_reason == "diploma"


def test_enrolment_assign_coordinator(municipality, coordinator, other_coordinator, manager):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    services.enrolment_assign_coordinator(
        user=manager, enrolment=enrolment, coordinator=other_coordinator
    )
    enrolment.refresh_from_db()
    assert enrolment.coordinator == other_coordinator
    assert enrolment.history.first().history_user == manager
    services.enrolment_assign_coordinator(user=manager, enrolment=enrolment, coordinator=None)
    enrolment.refresh_from_db()
    assert enrolment.coordinator is None


def test_occupation_record_builds_a_history(municipality, coordinator):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    services.occupation_record(
        user=coordinator, enrolment=enrolment, from_date=datetime.date(2026, 9, 1), kind="unknown"
    )
    services.occupation_record(
        user=coordinator,
        enrolment=enrolment,
        from_date=datetime.date(2026, 10, 1),
        kind="adult_education_part_time",
        extent_percent=50,
    )
    kinds = list(enrolment.occupations.values_list("kind", "extent_percent"))
    assert kinds == [("adult_education_part_time", 50), ("unknown", 100)]
    assert Occupation.objects.first().recorded_by == coordinator


@pytest.mark.parametrize(
    ("kind", "extent", "field"), [("sleeping", 100, "kind"), ("work", 120, "extent_percent")]
)
def test_occupation_record_refuses_bad_values(municipality, coordinator, kind, extent, field):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    with pytest.raises(ValidationError) as error:
        services.occupation_record(
            user=coordinator, enrolment=enrolment, from_date=TODAY, kind=kind, extent_percent=extent
        )
    assert field in error.value.message_dict
    assert not Occupation.objects.exists()


def test_youth_update_refuses_marking_an_enrolled_youth_as_im(municipality, coordinator):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    with pytest.raises(ValidationError) as error:
        services.youth_update(user=coordinator, youth=enrolment.youth, is_im_student=True)
    assert "is_im_student" in error.value.message_dict


def test_access_log_record_keeps_user_action_and_ip(rf, municipality, coordinator):
    youth = YouthFactory(municipality=municipality)
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    row = services.access_log_record(
        user=coordinator, youth=youth, action=AccessLog.Action.VIEW_PAGE, request=request
    )
    row.refresh_from_db()
    assert (row.user, row.youth, row.action, row.ip_address) == (
        coordinator,
        youth,
        "view_page",
        "10.1.2.3",
    )
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError):
        services.access_log_record(user=coordinator, youth=youth, action="peek")


def test_client_ip_behind_trusted_proxies(rf, settings):
    from registry.services import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"  # no proxies configured: the header is not trusted
    settings.KAA_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # the address our proxy appended
    spoofed = rf.get("/", HTTP_X_FORWARDED_FOR="nonsense", REMOTE_ADDR="10.0.0.2")
    assert client_ip(spoofed) == "10.0.0.2"
    direct = rf.get("/", REMOTE_ADDR="10.0.0.3")
    assert client_ip(direct) == "10.0.0.3"
