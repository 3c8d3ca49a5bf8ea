"""The commands: bench_flags (figures printed, not a timed test) and followup_run."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from followup.models import OverdueFlag
from registry.models import Enrolment, Municipality, Youth
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db


def test_bench_flags_prints_figures_and_cleans_up(municipality):
    out = StringIO()
    call_command("bench_flags", "--enrolments", "300", "--municipalities", "3", stdout=out)
    printed = out.getvalue()
    assert "Byggde 300 aktiva inskrivningar i 3 kommuner" in printed
    assert "Andra körningen (ska inte ändra något)" in printed
    second = next(line for line in printed.splitlines() if line.startswith("Andra körningen"))
    assert "0 flaggor öppnade, 0 stängda" in second
    assert "Flaggjobbet:" in printed
    # Only the test's own municipality is left.
    assert list(Municipality.objects.all()) == [municipality]
    assert not Youth.objects.exists()
    assert not Enrolment.objects.exists()


def test_followup_run_runs_the_jobs_in_process(municipality):
    """The embedded run has no worker: the command runs the jobs here and says what changed."""
    EnrolmentFactory(youth=YouthFactory(municipality=municipality))  # first contact overdue
    out = StringIO()
    call_command("followup_run", "overdue_flags", "reminders", "--today", "2026-11-24", stdout=out)
    printed = out.getvalue()
    assert "overdue_flags: {'job': 'overdue_flags'" in printed
    assert "'opened': 1" in printed
    assert OverdueFlag.objects.filter(resolved_on__isnull=True).count() == 1
    out = StringIO()
    call_command("followup_run", "retention", "--dry-run", stdout=out)
    assert "'dry_run': True" in out.getvalue()


def run_schedule() -> str:
    out = StringIO()
    call_command("followup_run", "--schedule", stdout=out)
    return out.getvalue()


def ran(printed: str) -> list[str]:
    return [line.split(":")[0] for line in printed.splitlines()]


def test_the_schedule_runs_in_process_what_is_due_and_nothing_twice(municipality):
    """The embedded run has no beat: ``followup_run --schedule`` (cron or --every) is its beat."""
    EnrolmentFactory(youth=YouthFactory(municipality=municipality))  # first contact overdue
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    # First start on Tuesday 02:10: what fell due within the day before runs once (age-out
    # 01:30, flags 02:00, Monday's reminders 02:30 and digests 06:30), not retention (the 1st).
    with time_machine.travel(datetime.datetime(2026, 11, 24, 2, 10, tzinfo=stockholm)):
        call_command("followup_run", "retention", "--dry-run", stdout=StringIO())
        assert ran(run_schedule()) == ["age_out", "overdue_flags", "reminders", "digests"]
        assert OverdueFlag.objects.filter(resolved_on__isnull=True).count() == 1
        assert ran(run_schedule()) == []
    # Today's reminders (02:30) are due once their time has come.
    with time_machine.travel(datetime.datetime(2026, 11, 24, 2, 40, tzinfo=stockholm)):
        assert ran(run_schedule()) == ["reminders"]
    # A week later, on the 1st: what was missed runs once, retention's real run too (the
    # dry run earlier was not the scheduled run).
    with time_machine.travel(datetime.datetime(2026, 12, 1, 3, 5, tzinfo=stockholm)):
        assert ran(run_schedule()) == [
            "age_out",
            "overdue_flags",
            "reminders",
            "digests",
            "retention",
        ]
        assert ran(run_schedule()) == []
