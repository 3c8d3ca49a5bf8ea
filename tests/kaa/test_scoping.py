"""A user never sees another municipality's rows."""

import pytest
from django.urls import reverse

from casework.models import ContactAttempt
from registry.models import Enrolment, Occupation, Youth
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_municipalities(municipality, other_municipality):
    ours = EnrolmentFactory(youth=YouthFactory(municipality=municipality, last_name="Vårsson"))
    theirs = EnrolmentFactory(
        youth=YouthFactory(municipality=other_municipality, last_name="Derasson")
    )
    for enrolment in (ours, theirs):
        Occupation.objects.create(
            enrolment=enrolment, from_date=enrolment.registered_on, kind="work"
        )
        ContactAttempt.objects.create(
            enrolment=enrolment,
            date=enrolment.registered_on,
            channel="letter",
            outcome="not_reached",
        )
    return ours, theirs


def _municipality_of(row):
    for path in ("municipality", "enrolment__municipality"):
        obj = row
        for part in path.split("__"):
            obj = getattr(obj, part, None)
        if obj is not None:
            return obj
    raise AssertionError(row)


@pytest.mark.parametrize("model", [Youth, Enrolment, Occupation, ContactAttempt])
def test_for_user_keeps_only_the_users_municipality(two_municipalities, manager, model):
    ours, theirs = two_municipalities
    rows = list(model.objects.for_user(manager))
    assert [_municipality_of(row) for row in rows] == [ours.municipality]
    other_manager = UserFactory(role="manager", municipality=theirs.municipality)
    rows = list(model.objects.for_user(other_manager))
    assert [_municipality_of(row) for row in rows] == [theirs.municipality]


def test_user_without_municipality_sees_nothing(two_municipalities):
    nobody = UserFactory(role="manager", municipality=None)
    assert not Youth.objects.for_user(nobody).exists()


def test_youth_list_page_shows_only_own_municipality(two_municipalities, coordinator_client):
    html = coordinator_client.get(reverse("registry:youth_list")).content.decode()
    assert "Vårsson" in html
    assert "Derasson" not in html
