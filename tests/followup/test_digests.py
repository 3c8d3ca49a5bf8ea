"""Weekly digests by e-mail (locmem backend): coordinators' items, managers' summary."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.test import override_settings

from followup.services.digests import digests_send
from followup.services.reminders import reminders_sync
from registry.models import Role
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory

from .factories import MeasureFactory, RoutineStateFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def staff(municipality, coordinator, manager):
    coordinator.email = "kim@example.invalid"
    coordinator.save()
    manager.email = "maria@example.invalid"
    manager.save()
    return coordinator, manager


def state_for(coordinator, *, due, overdue_after):
    youth = YouthFactory(
        municipality=coordinator.municipality, first_name="Hemligt", last_name="Namn"
    )
    enrolment = EnrolmentFactory(youth=youth, coordinator=coordinator)
    return RoutineStateFactory(enrolment=enrolment, next_due=due, overdue_after=overdue_after)


@override_settings(SITE_URL="https://kaa.example.invalid")
def test_coordinator_gets_overdue_and_due_items_with_absolute_links(staff):
    coordinator, _manager = staff
    overdue = state_for(
        coordinator, due=datetime.date(2026, 11, 1), overdue_after=datetime.date(2026, 11, 8)
    )
    state_for(
        coordinator, due=datetime.date(2026, 11, 27), overdue_after=datetime.date(2026, 12, 4)
    )
    state_for(coordinator, due=datetime.date(2027, 1, 27), overdue_after=datetime.date(2027, 2, 4))
    MeasureFactory(plan__enrolment=overdue.enrolment)
    reminders_sync(today=MONDAY)
    unassigned = EnrolmentFactory(youth=YouthFactory(municipality=coordinator.municipality))
    RoutineStateFactory(
        enrolment=unassigned,
        next_due=datetime.date(2026, 11, 1),
        overdue_after=datetime.date(2026, 11, 8),
    )

    result = digests_send(today=MONDAY)

    assert result == {"coordinator_digests": 1, "manager_summaries": 1, "failed": 0}
    to_coordinator = next(m for m in mail.outbox if m.to == ["kim@example.invalid"])
    body = to_coordinator.body
    assert "Försenade steg (1)" in body
    assert "Att göra den närmaste veckan (1)" in body
    assert "2026-11-01" in body and "2026-11-27" in body
    assert "2027-01-27" not in body  # further ahead than a week
    assert "Uppföljning, datum 2026-10-15" in body
    assert "https://kaa.example.invalid/arende/arbetslista/" in body
    assert f"https://kaa.example.invalid/arende/inskrivning/{overdue.enrolment_id}/kontakt/" in body
    # The e-mail leaves the system: no names or personnummer in it.
    assert "Hemligt" not in body
    assert overdue.enrolment.youth.personnummer[:8] not in body

    summary = next(m for m in mail.outbox if m.to == ["maria@example.invalid"])
    assert str(coordinator) in summary.body
    assert "1 försenade, 1 att göra, 1 påminnelser, 0 fyller 20" in summary.body
    assert "Utan koordinator: 1 försenade, 0 att göra" in summary.body
    assert "https://kaa.example.invalid/rapporter/oversikt/" in summary.body


def test_no_second_digest_in_the_same_week(staff):
    coordinator, _manager = staff
    state_for(coordinator, due=datetime.date(2026, 11, 1), overdue_after=datetime.date(2026, 11, 8))
    digests_send(today=MONDAY)
    assert len(mail.outbox) == 2
    assert digests_send(today=MONDAY + datetime.timedelta(days=2)) == {
        "coordinator_digests": 0,
        "manager_summaries": 0,
        "failed": 0,
    }
    assert len(mail.outbox) == 2
    digests_send(today=MONDAY + datetime.timedelta(days=7))
    assert len(mail.outbox) == 4


def test_a_coordinator_with_nothing_due_gets_no_mail_and_other_municipalities_stay_apart(
    staff, other_municipality
):
    _coordinator, _manager = staff
    elsewhere = UserFactory(
        username="annan",
        role=Role.COORDINATOR,
        municipality=other_municipality,
        email="x@example.invalid",
    )
    state_for(elsewhere, due=datetime.date(2026, 11, 1), overdue_after=datetime.date(2026, 11, 8))
    digests_send(today=MONDAY)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["maria@example.invalid", "x@example.invalid"]
    summary = next(m for m in mail.outbox if m.to == ["maria@example.invalid"])
    assert str(elsewhere) not in summary.body
    assert "Inga försenade eller kommande steg" in summary.body


class ServerDownFor(locmem.EmailBackend):
    """The mail server refuses mail to these addresses (as a server failing half-way)."""

    refused: set[str] = set()

    def send_messages(self, messages):
        if any(address in self.refused for message in messages for address in message.to):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@override_settings(EMAIL_BACKEND="tests.followup.test_digests.ServerDownFor")
def test_a_mail_server_failing_half_way_leaves_no_one_mailed_twice(staff, monkeypatch):
    coordinator, _manager = staff
    state_for(coordinator, due=datetime.date(2026, 11, 1), overdue_after=datetime.date(2026, 11, 8))
    monkeypatch.setattr(ServerDownFor, "refused", {"maria@example.invalid"})
    result = digests_send(today=MONDAY)
    assert result == {"coordinator_digests": 1, "manager_summaries": 0, "failed": 1}
    assert [m.to for m in mail.outbox] == [["kim@example.invalid"]]
    # The server is back: the rerun sends the manager's summary only.
    monkeypatch.setattr(ServerDownFor, "refused", set())
    result = digests_send(today=MONDAY)
    assert result == {"coordinator_digests": 0, "manager_summaries": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [["kim@example.invalid"], ["maria@example.invalid"]]
