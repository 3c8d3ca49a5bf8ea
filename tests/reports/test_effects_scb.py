"""The SCB file's "occupation after measure" and the effects of measures read the same facts."""

from __future__ import annotations

import csv
import datetime
import io
import random

import pytest

from casework import effects
from casework.models import Measure, Plan
from casework.selectors.effects import enrolment_facts, with_outcomes
from registry.models import Enrolment, OccupationKind
from registry.models.youth import OCCUPATION_SCB_CATEGORY
from reports.scb import HalfYear, load_layout
from reports.selectors.scb import scb_file

from .factories import enrolment, occupation

pytestmark = pytest.mark.django_db

D = datetime.date
HALF_YEAR = HalfYear(2026, 1)
TODAY = D(2027, 6, 30)  # every 6-month outcome of the half-year's measures is known
KINDS = [kind.value for kind in OccupationKind]


def test_scb_occupation_after_measure_agrees_with_the_effects_rule(manager, municipality):
    rng = random.Random(14)
    expected_after_6 = {}
    for _ in range(60):
        person = enrolment(municipality, D(2025, 9, 1))
        ended_on = D(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 180))
        for _ in range(rng.choice([0, 1, 2, 3])):
            offset = rng.choice([-200, -30, -1, 0, 1, 2, 40])
            occupation(person, ended_on + datetime.timedelta(days=offset), rng.choice(KINDS))
        plan = Plan.objects.create(enrolment=person)
        measure = Measure.objects.create(
            plan=plan, type="internship", starts_on=D(2025, 10, 1), ended_on=ended_on
        )
        expected_after_6[person.youth.personnummer] = measure.pk

    built = scb_file(manager, HALF_YEAR)
    rows = list(csv.DictReader(io.StringIO(built.content), delimiter=";"))
    assert len(rows) == 60
    codes = load_layout().codes["occupation"]
    outcome_6 = dict(
        with_outcomes(Measure.objects.all(), today=TODAY).values_list("id", "outcome_6")
    )
    enrolments = {
        e.youth.personnummer: e
        for e in Enrolment.objects.select_related("youth").prefetch_related("occupations")
    }
    compared_with_outcome = 0
    for row in rows:
        person = enrolments[row["PERSONNUMMER"]]
        measure = Measure.objects.get(pk=expected_after_6[row["PERSONNUMMER"]])
        day_after = measure.ended_on + datetime.timedelta(days=1)
        situation = effects.situation_on(
            enrolment_facts([person]), day_after, category_of=OCCUPATION_SCB_CATEGORY
        )
        # The file's code is the effects rule's situation on the day after the measure.
        assert row["SYSS_EFTER_INSATS"] == codes[situation], (row, situation)
        # When nothing was recorded between that day and D (6 months), the report's
        # outcome at 6 months is the same category as the file's.
        day_6 = effects.outcome_day(measure.ended_on, 6)
        if not any(day_after < o.from_date <= day_6 for o in person.occupations.all()):
            assert row["SYSS_EFTER_INSATS"] == codes[outcome_6[measure.pk]]
            compared_with_outcome += 1
    assert compared_with_outcome > 20
