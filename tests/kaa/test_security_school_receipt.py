"""School notifications answer a bare receipt (docs/api.md), rate-limited per token."""

from __future__ import annotations

import datetime

import pytest

from registry.models import Enrolment, SchoolNotification, Youth
from registry.personnummer import synthetic
from tests.conftest import api_client_for
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/school-notifications/"


def notice(number: str) -> dict:
    return {
        "personnummer": number,
        "first_name": "Nils",
        "last_name": "Provsson",
        "school": "Provgymnasiet",
        "left_on": "2026-11-20",
        "reason": "dropout_national_programme",
    }


@pytest.fixture
def cases(municipality):
    """Four register situations a school must not be able to tell apart."""
    enrolled = EnrolmentFactory(youth__municipality=municipality).youth
    known = YouthFactory(municipality=municipality, birth_date=datetime.date(2009, 2, 2))
    return {
        "unknown": synthetic(datetime.date(2009, 3, 10), 1),
        "known_not_enrolled": known.personnummer,
        "already_enrolled": enrolled.personnummer,
        "over_twenty": synthetic(datetime.date(2004, 1, 1), 2),
    }


def test_the_answer_is_the_same_whatever_the_register_held(school_api, cases):
    answers = {name: school_api.post(URL, notice(number)) for name, number in cases.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(cases, 202)
    assert {tuple(sorted(r.json())) for r in answers.values()} == {("receipt", "received")}
    assert {r.json()["received"] for r in answers.values()} == {True}
    receipts = [r.json()["receipt"] for r in answers.values()]
    assert len(set(receipts)) == len(receipts)
    # The receipt says nothing either: no sequence a school could count on.
    assert all(not receipt.removeprefix("sn-").isdigit() for receipt in receipts)
    headers = {tuple(sorted(k for k, _v in r.items())) for r in answers.values()}
    assert len(headers) == 1


def test_the_same_notification_twice_answers_the_same_receipt_and_changes_nothing(
    school_api, municipality
):
    number = synthetic(datetime.date(2009, 3, 10), 1)
    first = school_api.post(URL, notice(number))
    counts = (Youth.objects.count(), Enrolment.objects.count(), SchoolNotification.objects.count())
    again = school_api.post(URL, notice(f"{number[:8]}-{number[8:]}"))
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert counts == (1, 1, 1)
    assert counts == (
        Youth.objects.count(),
        Enrolment.objects.count(),
        SchoolNotification.objects.count(),
    )


def test_invalid_input_is_still_refused_for_the_input(school_api):
    response = school_api.post(URL, notice("20090310-0000"))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["personnummer"]


def test_notifications_are_rate_limited_per_token(school_api, school_user, settings):
    settings.API_SCHOOL_NOTIFICATION_RATE = "3/m"
    statuses = [
        school_api.post(URL, notice(synthetic(datetime.date(2009, 3, 10), n))).status_code
        for n in range(4)
    ]
    assert statuses == [202, 202, 202, 429]
    refused = school_api.post(URL, notice(synthetic(datetime.date(2009, 3, 10), 9)))
    assert refused.status_code == 429
    assert "För många anrop" in refused.json()["errors"]["detail"][0]
    assert int(refused["Retry-After"]) >= 1
    assert SchoolNotification.objects.count() == 3
    # Another token (another school system) is not held back by this one.
    other = api_client_for(
        UserFactory(username="skola-b", role="school", municipality=school_user.municipality)
    )
    assert other.post(URL, notice(synthetic(datetime.date(2009, 3, 10), 10))).status_code == 202
