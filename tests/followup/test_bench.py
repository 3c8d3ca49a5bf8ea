"""bench_flags builds, times and removes its synthetic data (figures printed, not a timed test)."""

from io import StringIO

import pytest
from django.core.management import call_command

from registry.models import Enrolment, Municipality, Youth

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
