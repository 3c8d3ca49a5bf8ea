"""Checklist items that cannot apply yet are shown as such, never as done."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.completeness import MeasureFacts, PlanFacts, checklist, not_applicable_yet
from tests.casework.factories import youth_enrolment

from .plan_factories import MeasureFactory, PlanFactory

TODAY = datetime.date(2026, 11, 24)
DONE = MeasureFacts(
    responsible="municipality",
    starts_on=datetime.date(2026, 9, 1),
    ends_on=datetime.date(2026, 12, 1),
    follow_up_on=datetime.date(2026, 10, 1),
    evaluate_on=datetime.date(2026, 12, 1),
)


def plan(*measures):
    return PlanFacts(goal="Arbete", planning="Praktik", measures=measures)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (None, {6}),  # no plan: 2-4 are missing, 6 cannot apply
        (plan(), {6}),
        (plan(DONE), {2, 4, 6}),  # only the municipality is responsible, nothing ended
        (
            plan(DONE, MeasureFacts(**(DONE.__dict__ | {"responsible": "youth"}))),
            {4, 6},
        ),
        (
            plan(
                MeasureFacts(
                    **(DONE.__dict__ | {"ended_on": TODAY, "end_reason": "Klar", "evaluation": "x"})
                )
            ),
            {2, 4},
        ),
        # A measure without a responsible party: 2-4 are missing, not inapplicable.
        (plan(MeasureFacts(**(DONE.__dict__ | {"responsible": ""}))), {6}),
    ],
)
def test_not_applicable_yet(facts, expected):
    assert not_applicable_yet(facts, today=TODAY) == expected
    items = {item.number: item for item in checklist(facts, today=TODAY)}
    assert {n for n, item in items.items() if not item.applies} == expected
    assert not any(items[n].is_missing for n in expected)


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_the_plan_page_says_not_yet_applicable_instead_of_a_tick(
    coordinator_client, coordinator, municipality
):
    enrolment = youth_enrolment(municipality, coordinator)
    html = coordinator_client.get(reverse("casework:plan", args=[enrolment.pk])).content.decode()
    item_6 = html.split('data-item="6"')[1].split("</li>")[0]
    assert "inte aktuellt än" in item_6 and "✓" not in item_6
    MeasureFactory(
        plan=PlanFactory(enrolment=enrolment),
        ended_on=datetime.date(2026, 11, 1),
        end_reason="Började arbeta",
    )
    html = coordinator_client.get(reverse("casework:plan", args=[enrolment.pk])).content.decode()
    item_6 = html.split('data-item="6"')[1].split("</li>")[0]
    assert "inget saknas" in item_6 and "✓" in item_6
