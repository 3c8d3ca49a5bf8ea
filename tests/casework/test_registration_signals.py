"""Casework reacts to new enrolments itself: every registration path leaves a routine state.

The register imports no app above it (docs/architecture.md, "Hooks"); these
tests prove the routine state still follows a registration through the
service, the import (bulk, announced by ``registry.signals``) and the youth
list's "reached" column (the slot in ``registry.hooks``).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import RoutineState
from registry import importing, services
from registry.models import Enrolment
from registry.personnummer import synthetic
from tests.factories import YouthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

BIRTH = datetime.date(2009, 4, 2)


def _row(n: int) -> dict[str, str]:
    return {
        "personnummer": synthetic(BIRTH, n),
        "first_name": f"Signal{n}",
        "last_name": "Importsson",
        "street": "Filvägen 1",
        "postal_code": "999 90",
        "city": "Demostad",
        "source": "dropout_national_programme",
        "registered_on": "2026-11-02",
        "school": "",
    }


def test_imported_enrolments_get_their_first_step(coordinator, municipality):
    batch = importing.import_batch_create(
        user=coordinator,
        municipality=municipality,
        filename="register.csv",
        content=importing.write_rows([_row(1), _row(2)]),
    )
    importing.import_batch_validate_all(batch=batch)
    assert importing.import_batch_request_commit(batch=batch)
    batch = importing.import_batch_commit(batch_id=batch.pk)
    assert batch.status == "done", batch.error_message

    enrolment_ids = set(Enrolment.objects.values_list("pk", flat=True))
    assert len(enrolment_ids) == 2
    states = RoutineState.objects.filter(enrolment_id__in=enrolment_ids)
    assert {state.enrolment_id for state in states} == enrolment_ids
    assert all(state.next_step and state.next_due for state in states)


def test_an_enrolment_registered_through_the_service_gets_its_first_step(coordinator, municipality):
    youth = YouthFactory(municipality=municipality, birth_date=BIRTH)
    enrolment = services.enrolment_register(
        user=coordinator,
        youth=youth,
        registered_on=datetime.date(2026, 11, 2),
        source="dropout_national_programme",
    )
    state = RoutineState.objects.get(enrolment=enrolment)
    assert state.next_step
    assert state.contact_established_on is None


def test_the_youth_list_shows_whether_contact_is_established(
    coordinator_client, coordinator, municipality
):
    reached = YouthFactory(municipality=municipality, first_name="Nådda", birth_date=BIRTH)
    waiting = YouthFactory(municipality=municipality, first_name="Väntande", birth_date=BIRTH)
    for youth in (reached, waiting):
        services.enrolment_register(
            user=coordinator,
            youth=youth,
            registered_on=datetime.date(2026, 11, 2),
            source="dropout_national_programme",
        )
    RoutineState.objects.filter(enrolment__youth=reached).update(
        contact_established_on=datetime.date(2026, 11, 5)
    )

    page = coordinator_client.get(reverse("registry:youth_list"), {"reached": "yes"})
    text = page.content.decode()
    assert "Nådda" in text and "2026-11-05" in text
    assert "Väntande" not in text

    page = coordinator_client.get(reverse("registry:youth_list"), {"reached": "no"})
    text = page.content.decode()
    assert "Väntande" in text and "Ej fått kontakt" in text
    assert "Nådda" not in text
