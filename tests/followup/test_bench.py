"""The commands: bench_flags (figures printed, not a timed test) and followup_run."""

from io import StringIO

import pytest
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
