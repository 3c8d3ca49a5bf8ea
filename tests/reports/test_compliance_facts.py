"""Compliance reads the stored routine state, and answers as ``routine.evaluate`` on the period's end."""

from __future__ import annotations

import datetime
import random

import pytest

from casework import routine
from casework.models import Mapping, Measure, Plan, RoutineState
from casework.selectors.routine_facts import routine_facts_for
from casework.services.routine_state import routine_state_refresh
from reports.compliance import rate_contact
from reports.key_figures import Period
from reports.selectors.compliance import compliance
from tests.casework.test_routine_state import generate

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 24)
PERIOD = Period(D(2026, 5, 1), D(2026, 8, 31))


def by_evaluate(enrolment_ids, as_of):
    """The contact rating of each case straight from the routine (the reference)."""
    facts = routine_facts_for(enrolment_ids)
    answers = {}
    for pk, one in facts.items():
        result = one.evaluate(as_of)
        answers[pk] = rate_contact(result.attempt_count, result.deviations)
    return answers


def test_contact_on_the_period_end_equals_evaluate_on_generated_cases(municipality, manager):
    generate(random.Random(11), municipality, 150)
    routine_state_refresh(today=TODAY)
    result = compliance(user=manager, period=PERIOD, today=TODAY)
    assert len(result.cases) > 50
    reference = by_evaluate([case.enrolment_id for case in result.cases], result.as_of)
    rated = {
        case.enrolment_id: (case.ratings["contact"], case.reasons["contact"])
        for case in result.cases
    }
    assert rated == reference
    # Some cases hold a deviation today that they did not hold on the period's end
    # (a late home visit after it), and the report does not count it.
    later = RoutineState.objects.filter(
        enrolment_id__in=rated,
        deviations__contains=[routine.HOME_VISIT_LATE],
        home_visit_on__gt=result.as_of,
    ).values_list("enrolment_id", flat=True)
    assert later
    assert all(routine.HOME_VISIT_LATE not in rated[pk][1] for pk in later)


def test_cases_without_a_stored_state_are_evaluated_afresh(municipality, manager):
    enrolments = generate(random.Random(12), municipality, 60)
    routine_state_refresh(today=TODAY)
    before = compliance(user=manager, period=PERIOD, today=TODAY)
    RoutineState.objects.filter(enrolment__in=enrolments[::2]).delete()
    # A state stored before the ladder's home visit was kept: evaluated afresh too.
    RoutineState.objects.filter(deviations__contains=[routine.HOME_VISIT_LATE]).update(
        home_visit_on=None
    )
    after = compliance(user=manager, period=PERIOD, today=TODAY)
    assert after.cases == before.cases


def test_mapping_and_plan_are_read_for_every_case(municipality, manager, django_assert_num_queries):
    enrolments = generate(random.Random(13), municipality, 40)
    for enrolment in enrolments[:10]:
        Mapping.objects.create(enrolment=enrolment, situation="  ")  # no text: not documented
    for enrolment in enrolments[10:20]:
        Mapping.objects.create(enrolment=enrolment, date=D(2026, 6, 1))
        plan = Plan.objects.create(enrolment=enrolment, goal="Arbete", planning="Praktik")
        Measure.objects.create(plan=plan, type="guidance", responsible="youth")
    routine_state_refresh(today=TODAY)
    with django_assert_num_queries(5):
        result = compliance(user=manager, period=PERIOD, today=TODAY)
    by_id = {case.enrolment_id: case for case in result.cases}
    for enrolment in enrolments[:10]:
        if enrolment.pk in by_id:
            assert "no_mapping" in by_id[enrolment.pk].reasons["mapping"]
    for enrolment in enrolments[10:20]:
        if enrolment.pk in by_id:
            assert "no_mapping" not in by_id[enrolment.pk].reasons["mapping"]
            assert by_id[enrolment.pk].ratings["measures"] != "not"


def test_rate_enrolments_answers_each_case_with_its_municipality(
    municipality, other_municipality, manager
):
    from reports.selectors.compliance import rate_enrolments

    ours = generate(random.Random(14), municipality, 20)
    theirs = generate(random.Random(15), other_municipality, 10)
    routine_state_refresh(today=TODAY)
    chosen = sorted(e.pk for e in ours + theirs)
    rated = rate_enrolments(chosen, D(2026, 8, 31), {}, routine.RoutineDays())
    assert [case.enrolment_id for _m, case in rated] == chosen
    by_id = {case.enrolment_id: (m, case) for m, case in rated}
    assert {by_id[e.pk][0] for e in ours} == {municipality.pk}
    assert {by_id[e.pk][0] for e in theirs} == {other_municipality.pk}
    # The same ratings as the municipality's own report on the same day.
    report = compliance(user=manager, period=Period(D(2020, 1, 1), D(2026, 8, 31)), today=TODAY)
    for case in report.cases:
        assert by_id[case.enrolment_id][1] == case
