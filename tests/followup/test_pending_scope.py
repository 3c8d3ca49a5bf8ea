"""The follow-up page counts only this municipality's waiting runs (and the scheduled ones)."""

import pytest
from django.urls import reverse

from followup.models import PendingJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pending_runs_of_another_municipality_are_not_counted(
    manager, manager_client, other_municipality
):
    neighbour = UserFactory(username="grannchef", role="manager", municipality=other_municipality)
    PendingJob.objects.create(name="board_report", requested_by=neighbour)
    PendingJob.objects.create(name="board_report", requested_by=neighbour)
    assert (
        "väntar på att jobbkön"
        not in manager_client.get(reverse("followup:index")).content.decode()
    )

    PendingJob.objects.create(name="board_report", requested_by=manager)
    PendingJob.objects.create(name="overdue_flags")  # scheduled: everyone's
    html = manager_client.get(reverse("followup:index")).content.decode()
    assert "2 beställda körningar väntar på att jobbkön ska svara." in html
