"""The same school notice sent twice at the same moment: one registers, the other repeats."""

import datetime
import threading

import pytest
from django.db import connection

from registry.models import Enrolment, SchoolNotification, Youth
from registry.personnummer import synthetic
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_identical_notices_at_once_register_once(school_user):
    body = {
        "personnummer": synthetic(datetime.date(2008, 5, 5), 7),
        "first_name": "Samtidig",
        "last_name": "Provsson",
        "school": "Provgymnasiet",
        "left_on": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
    }
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def send() -> None:
        client = api_client_for(school_user)
        barrier.wait()
        try:
            statuses.append(client.post("/api/v1/school-notifications/", body).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [202, 202]
    assert Youth.objects.count() == Enrolment.objects.count() == 1
    assert SchoolNotification.objects.count() == 1
