"""The manager's follow-up page, the on-demand flag run, and the partials for other pages."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from followup.models import JobRun, OverdueFlag, RetentionPolicy
from followup.services.flags import overdue_flags_sync
from tests.factories import EnrolmentFactory, YouthFactory

from .factories import RoutineStateFactory

pytestmark = pytest.mark.django_db


def overdue_for(coordinator, **youth_fields):
    youth = YouthFactory(municipality=coordinator.municipality, **youth_fields)
    return RoutineStateFactory(
        enrolment=EnrolmentFactory(youth=youth, coordinator=coordinator),
        next_due=datetime.date(2026, 9, 8),
    )


def test_the_settings_page_links_to_the_follow_up_page(manager_client):
    response = manager_client.get(reverse("casework:settings"))
    assert reverse("followup:index").encode() in response.content


def test_only_managers_reach_the_page(coordinator_client, board_secretary_client):
    assert coordinator_client.get(reverse("followup:index")).status_code == 403
    assert board_secretary_client.get(reverse("followup:index")).status_code == 403
    assert coordinator_client.post(reverse("followup:run_flags")).status_code == 403


def test_the_button_runs_the_flag_job_in_process_without_a_broker(
    manager_client, coordinator, other_municipality
):
    overdue_for(coordinator, first_name="Flaggad")
    elsewhere = RoutineStateFactory(
        enrolment=EnrolmentFactory(youth=YouthFactory(municipality=other_municipality))
    )
    response = manager_client.post(reverse("followup:run_flags"), follow=True)
    assert "1 nya, 0 åtgärdade" in response.content.decode()
    # The manager's run covers their own municipality only.
    assert not OverdueFlag.objects.filter(enrolment=elsewhere.enrolment).exists()
    assert "Flaggad" in response.content.decode()
    assert JobRun.objects.get().result["opened"] == 1


def test_the_retention_setting_and_its_dry_run(manager_client, manager):
    page = manager_client.get(reverse("followup:index"))
    assert 'value="3"' in page.content.decode()
    response = manager_client.post(reverse("followup:index"), {"years_after_end": "0"})
    assert "errorlist" in response.content.decode()
    manager_client.post(reverse("followup:index"), {"years_after_end": "5"})
    policy = RetentionPolicy.objects.get(municipality=manager.municipality)
    assert policy.years_after_end == 5
    assert policy.history.latest().history_user == manager
    preview = manager_client.get(reverse("followup:index") + "?gallring=1")
    assert 'data-retention-count="0"' in preview.content.decode()


def test_the_summary_partial_shows_a_coordinators_own_flags_in_few_queries(
    coordinator, other_coordinator, django_assert_max_num_queries
):
    for number in range(12):
        overdue_for(coordinator, first_name=f"Min{number}")
    overdue_for(other_coordinator, first_name="Annans")
    overdue_flags_sync(today=datetime.date(2026, 11, 24))
    template = Template("{% load followup %}{% followup_summary %}{% ageing_out_warning %}")
    with django_assert_max_num_queries(8):
        html = template.render(Context({"user": coordinator}))
    assert "12 försenade steg" in html
    assert "Min0" in html and "Annans" not in html
    assert "Visar de 10 äldsta" in html


def test_a_coordinator_also_sees_unassigned_flags_as_on_the_worklist(coordinator, municipality):
    RoutineStateFactory(enrolment=EnrolmentFactory(youth=YouthFactory(municipality=municipality)))
    overdue_flags_sync(today=datetime.date(2026, 11, 24))
    html = Template("{% load followup %}{% followup_summary %}").render(
        Context({"user": coordinator})
    )
    assert "1 försenat steg" in html


def test_on_the_worklist_the_summary_leaves_the_flags_to_the_worklist(coordinator):
    overdue_for(coordinator, first_name="Flaggad")
    overdue_flags_sync(today=datetime.date(2026, 11, 24))
    html = Template("{% load followup %}{% followup_summary show_flags=False %}").render(
        Context({"user": coordinator})
    )
    assert "Flaggad" not in html
    assert "Inga insatser väntar på uppföljning eller utvärdering" in html


def test_the_job_runs_say_in_swedish_what_each_run_changed(manager_client):
    JobRun.objects.create(
        name="overdue_flags",
        finished_at=datetime.datetime(2026, 11, 24, 2, 1, tzinfo=datetime.UTC),
        result={"opened": 3, "resolved": 1},
    )
    JobRun.objects.create(
        name="retention",
        finished_at=datetime.datetime(2026, 11, 1, 3, 1, tzinfo=datetime.UTC),
        result={"dry_run": False, "youths": 2},
    )
    JobRun.objects.create(
        name="age_out",
        finished_at=datetime.datetime(2026, 11, 24, 1, 31, tzinfo=datetime.UTC),
        result={"ended": 2, "refused": [41]},
    )
    page = manager_client.get(reverse("followup:index")).content.decode()
    assert (
        "2 avregistrerade, 1 kunde inte avregistreras automatiskt och behöver avslutas för hand"
        in page
    )
    assert "Försenade steg</td>" in page and "3 nya, 1 åtgärdade" in page
    assert "Gallring</td>" in page and "2 ungdomar gallrade" in page
    assert "overdue_flags" not in page


def test_a_manager_sees_the_scheduled_runs_and_their_own_not_another_municipalitys(
    manager_client, manager, other_municipality
):
    finished = datetime.datetime(2026, 11, 24, 2, 1, tzinfo=datetime.UTC)
    JobRun.objects.create(name="reminders", finished_at=finished, result={"opened": 7})
    JobRun.objects.create(
        name="overdue_flags",
        municipality=other_municipality,
        finished_at=finished,
        result={"opened": 99, "resolved": 0},
    )
    manager_client.post(reverse("followup:run_flags"))
    assert JobRun.objects.get(name="overdue_flags", municipality=manager.municipality)
    page = manager_client.get(reverse("followup:index")).content.decode()
    assert "7 nya, 0 åtgärdade" in page
    assert "0 nya, 0 åtgärdade" in page
    assert "99 nya" not in page
