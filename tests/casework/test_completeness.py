"""Skolverket's seven items (docs/domain.md, "Which items are missing"), without a database."""

from __future__ import annotations

import datetime

import pytest

from casework.completeness import (
    ALL_ITEMS,
    MeasureFacts,
    PlanFacts,
    checklist,
    missing_items,
)

TODAY = datetime.date(2026, 11, 24)


def complete_measure(**changes) -> MeasureFacts:
    values = {
        "responsible": "youth",
        "actor_name": "",
        "starts_on": datetime.date(2026, 10, 1),
        "ends_on": datetime.date(2026, 12, 20),
        "follow_up_on": datetime.date(2026, 11, 30),
        "evaluate_on": datetime.date(2026, 12, 20),
        "ended_on": None,
        "end_reason": "",
        "evaluation": "",
    }
    values.update(changes)
    return MeasureFacts(**values)


def complete_plan(*measures: MeasureFacts, **changes) -> PlanFacts:
    values = {
        "goal": "Börja på Komvux i januari.",
        "planning": "Träffas varannan vecka, studiebesök på Komvux.",
        "measures": measures or (complete_measure(),),
    }
    values.update(changes)
    return PlanFacts(**values)


def test_complete_plan_misses_nothing():
    assert missing_items(complete_plan(), today=TODAY) == []


def test_no_plan_misses_all_but_the_end_reason_like_an_empty_plan():
    # Item 6 is "a measure has ended without a reason": with no measure it cannot be missing.
    assert missing_items(None, today=TODAY) == [1, 2, 3, 4, 5, 7]
    assert missing_items(None, today=TODAY) == missing_items(PlanFacts(), today=TODAY)


def test_plan_without_measures_misses_all_measure_items_but_the_end_reason():
    plan = PlanFacts(goal="Mål", planning="Planering", measures=())
    assert missing_items(plan, today=TODAY) == [2, 3, 4, 5, 7]


@pytest.mark.parametrize(
    ("goal", "planning"),
    [("", "Planering"), ("Mål", ""), ("   ", "Planering"), ("", "")],
)
def test_item_1_goal_or_planning_empty(goal, planning):
    assert missing_items(complete_plan(goal=goal, planning=planning), today=TODAY) == [1]


def test_items_2_3_4_a_measure_without_responsible_party():
    plan = complete_plan(complete_measure(), complete_measure(responsible=""))
    assert missing_items(plan, today=TODAY) == [2, 3, 4]


def test_item_4_other_actor_not_named():
    plan = complete_plan(complete_measure(responsible="other_actor", actor_name=""))
    assert missing_items(plan, today=TODAY) == [4]


def test_other_actor_named_is_documented():
    plan = complete_plan(
        complete_measure(responsible="other_actor", actor_name="Arbetsförmedlingen")
    )
    assert missing_items(plan, today=TODAY) == []


@pytest.mark.parametrize("responsible", ["youth", "municipality", "other_actor"])
def test_a_plan_need_not_have_all_three_kinds_of_responsible(responsible):
    # "Om det är aktuellt": one kind of responsible party is enough.
    measure = complete_measure(responsible=responsible, actor_name="BUP")
    assert missing_items(complete_plan(measure), today=TODAY) == []


@pytest.mark.parametrize("missing_date", ["starts_on", "ends_on"])
def test_item_5_start_or_planned_end_missing(missing_date):
    plan = complete_plan(complete_measure(**{missing_date: None}))
    assert missing_items(plan, today=TODAY) == [5]


def test_item_6_ended_without_reason():
    ended = complete_measure(ended_on=datetime.date(2026, 11, 1), evaluation="Bra.")
    assert missing_items(complete_plan(ended), today=TODAY) == [6]


def test_ended_with_reason_is_documented():
    ended = complete_measure(
        ended_on=datetime.date(2026, 11, 1), end_reason="Fick jobb.", evaluation="Bra."
    )
    assert missing_items(complete_plan(ended), today=TODAY) == []


@pytest.mark.parametrize("missing_date", ["follow_up_on", "evaluate_on"])
def test_item_7_follow_up_or_evaluation_date_missing(missing_date):
    plan = complete_plan(complete_measure(**{missing_date: None}))
    assert missing_items(plan, today=TODAY) == [7]


@pytest.mark.parametrize(
    ("evaluate_on", "evaluation", "expected"),
    [
        (TODAY + datetime.timedelta(days=1), "", []),
        (TODAY, "", []),  # the day itself has not passed yet
        (TODAY - datetime.timedelta(days=1), "", [7]),  # passed, nothing written
        (TODAY - datetime.timedelta(days=1), "  ", [7]),
        (TODAY - datetime.timedelta(days=1), "Delvis uppnått: har börjat söka jobb.", []),
    ],
)
def test_item_7_evaluation_date_passed_counts_as_missing_until_written(
    evaluate_on, evaluation, expected
):
    plan = complete_plan(complete_measure(evaluate_on=evaluate_on, evaluation=evaluation))
    assert missing_items(plan, today=TODAY) == expected


def test_each_item_is_reported_once_however_many_measures_lack_it():
    plan = complete_plan(complete_measure(starts_on=None), complete_measure(ends_on=None))
    assert missing_items(plan, today=TODAY) == [5]


def test_checklist_has_seven_swedish_items_marking_the_missing():
    items = checklist(complete_plan(goal=""), today=TODAY)
    assert [item.number for item in items] == list(ALL_ITEMS)
    assert [item.number for item in items if item.is_missing] == [1]
    assert items[0].label.startswith("Den individuella planeringen")
    assert items[3].label == "Insatser som annan aktör ansvarar för, och vilken aktör"
