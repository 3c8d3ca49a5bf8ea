"""Routine compliance in the auditors' four areas (docs/domain.md, "Routine compliance"): pure, no ORM.

Each enrolment is rated in contact, mapping, measures and evaluation as
``meets``, ``partly`` or ``not`` (does not meet), with the reasons. The
contact deviations come from ``casework.routine`` and the plan's missing items
from ``casework.completeness``; this module only combines them as the
auditors do:

- Contact: meets with at least one attempt and no contact deviation; partly
  with attempts but a deviation (first contact late, home visit late, started
  with a home visit); not without any attempt.
- Mapping: four things count: a documented mapping; a plan goal (item 1); at
  least one measure and a responsible party for every measure (items 2-4); at
  least one measure and a follow-up and an evaluation date on every measure
  (item 7's dates only: an evaluation overdue is the evaluation area's finding,
  not a gap in the mapping). Meets: all four; partly: one to three; not: none.
- Measures: meets with at least one measure and none of items 5, 6 and 1
  missing; partly with a measure but one of those missing; not without measures.
- Evaluation: meets when every measure has an evaluation date and every measure
  that has ended or passed that date has a written evaluation; partly when some
  of the measures that need an evaluation have one, or some measure lacks an
  evaluation date while evaluations are written; not otherwise (no measure, no
  evaluation date at all, or none of those that need one has one).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from casework import completeness, routine
from casework.completeness import MeasureFacts, PlanFacts

MEETS = "meets"
PARTLY = "partly"
NOT = "not"
RATINGS = (MEETS, PARTLY, NOT)
RATING_LABELS = {MEETS: _("Uppfyller"), PARTLY: _("Uppfyller delvis"), NOT: _("Uppfyller inte")}

CONTACT = "contact"
MAPPING = "mapping"
MEASURES = "measures"
EVALUATION = "evaluation"
AREAS = (CONTACT, MAPPING, MEASURES, EVALUATION)
AREA_LABELS = {
    CONTACT: _("Kontakt"),
    MAPPING: _("Kartläggning"),
    MEASURES: _("Insatser"),
    EVALUATION: _("Utvärdering"),
}

# The deviations that make contact "partly" (docs/domain.md, "Routine compliance" lists these three).
CONTACT_DEVIATIONS = (
    routine.FIRST_CONTACT_LATE,
    routine.HOME_VISIT_LATE,
    routine.STARTED_WITH_HOME_VISIT,
)

# Reason codes (beside the routine's deviation codes).
NO_ATTEMPT = routine.NO_CONTACT_DOCUMENTED
NO_MAPPING = "no_mapping"
NO_GOAL = "missing_item_1"
RESPONSIBLE_MISSING = "missing_items_2_4"
FOLLOW_UP_DATES_MISSING = "missing_item_7"
DATES_MISSING = "missing_item_5"
END_REASON_MISSING = "missing_item_6"
NO_MEASURE = "no_measure"
NO_EVALUATION_DATE = "no_evaluation_date"
EVALUATION_DATE_MISSING = "evaluation_date_missing"
EVALUATION_MISSING = "evaluation_missing"

REASON_LABELS = {
    routine.FIRST_CONTACT_LATE: _("Första kontakten sent"),
    routine.HOME_VISIT_LATE: _("Hembesöket sent"),
    routine.STARTED_WITH_HOME_VISIT: _("Började med hembesök"),
    NO_ATTEMPT: _("Inget kontaktförsök dokumenterat"),
    NO_MAPPING: _("Ingen dokumenterad kartläggning"),
    NO_GOAL: _("Mål eller planering saknas (punkt 1)"),
    RESPONSIBLE_MISSING: _("Insats eller ansvarig saknas (punkt 2–4)"),
    FOLLOW_UP_DATES_MISSING: _("Uppföljnings- eller utvärderingsdatum saknas (punkt 7)"),
    DATES_MISSING: _("Start- eller slutdatum saknas (punkt 5)"),
    END_REASON_MISSING: _("Orsak till avslut saknas (punkt 6)"),
    NO_MEASURE: _("Ingen insats"),
    NO_EVALUATION_DATE: _("Ingen insats har utvärderingsdatum"),
    EVALUATION_DATE_MISSING: _("En insats saknar utvärderingsdatum"),
    EVALUATION_MISSING: _("Utvärdering saknas för avslutad eller passerad insats"),
}


@dataclass(frozen=True)
class CaseFacts:
    """What compliance reads of one enrolment, judged on one day."""

    enrolment_id: int
    attempt_count: int
    deviations: Sequence[str] = ()
    has_mapping: bool = False
    plan: PlanFacts | None = None


@dataclass(frozen=True)
class CaseRating:
    enrolment_id: int
    ratings: dict[str, str]
    reasons: dict[str, list[str]] = field(default_factory=dict)


def rate_contact(attempt_count: int, deviations: Iterable[str]) -> tuple[str, list[str]]:
    if attempt_count == 0:
        return NOT, [NO_ATTEMPT]
    found = [code for code in CONTACT_DEVIATIONS if code in set(deviations)]
    return (PARTLY, found) if found else (MEETS, [])


def has_follow_up_and_evaluation_dates(plan: PlanFacts | None) -> bool:
    """At least one measure, and every measure has a follow-up and an evaluation date."""
    if plan is None or not plan.measures:
        return False
    return all(m.follow_up_on is not None and m.evaluate_on is not None for m in plan.measures)


def rate_mapping(has_mapping: bool, missing: set[int], *, dated: bool) -> tuple[str, list[str]]:
    """``missing``: the plan's missing items (1-7); ``dated``: ``has_follow_up_and_evaluation_dates``."""
    lacking = []
    if not has_mapping:
        lacking.append(NO_MAPPING)
    if completeness.ITEM_GOAL_AND_PLANNING in missing:
        lacking.append(NO_GOAL)
    if missing & {
        completeness.ITEM_YOUTH_RESPONSIBLE,
        completeness.ITEM_MUNICIPALITY_RESPONSIBLE,
        completeness.ITEM_OTHER_ACTOR_RESPONSIBLE,
    }:
        lacking.append(RESPONSIBLE_MISSING)
    if not dated:
        lacking.append(FOLLOW_UP_DATES_MISSING)
    if not lacking:
        return MEETS, []
    return (NOT if len(lacking) == 4 else PARTLY), lacking


def rate_measures(plan: PlanFacts | None, missing: set[int]) -> tuple[str, list[str]]:
    if plan is None or not plan.measures:
        return NOT, [NO_MEASURE]
    lacking = []
    if completeness.ITEM_DATES in missing:
        lacking.append(DATES_MISSING)
    if completeness.ITEM_END_REASON in missing:
        lacking.append(END_REASON_MISSING)
    if completeness.ITEM_GOAL_AND_PLANNING in missing:
        lacking.append(NO_GOAL)
    return (PARTLY, lacking) if lacking else (MEETS, [])


def _is_written(measure: MeasureFacts) -> bool:
    return bool((measure.evaluation or "").strip())


def _needs_evaluation(measure: MeasureFacts, today: datetime.date) -> bool:
    """Ended, or its evaluation date has passed (as completeness reads "passed": before today)."""
    has_ended = measure.ended_on is not None and measure.ended_on <= today
    date_passed = measure.evaluate_on is not None and measure.evaluate_on < today
    return has_ended or date_passed


def rate_evaluation(plan: PlanFacts | None, *, today: datetime.date) -> tuple[str, list[str]]:
    if plan is None or not plan.measures:
        return NOT, [NO_MEASURE]
    measures = list(plan.measures)
    if all(m.evaluate_on is None for m in measures):
        return NOT, [NO_EVALUATION_DATE]
    needing = [m for m in measures if _needs_evaluation(m, today)]
    evaluated = [m for m in needing if _is_written(m)]
    every_dated = all(m.evaluate_on is not None for m in measures)
    reasons = []
    if not every_dated:
        reasons.append(EVALUATION_DATE_MISSING)
    if len(evaluated) < len(needing):
        reasons.append(EVALUATION_MISSING)
    if not reasons:
        return MEETS, []
    some_needed_evaluated = bool(evaluated)
    undated_while_written = not every_dated and any(_is_written(m) for m in measures)
    if some_needed_evaluated or undated_while_written:
        return PARTLY, reasons
    return NOT, reasons


def rate_case(facts: CaseFacts, *, today: datetime.date) -> CaseRating:
    missing = set(completeness.missing_items(facts.plan, today=today))
    results = {
        CONTACT: rate_contact(facts.attempt_count, facts.deviations),
        MAPPING: rate_mapping(
            facts.has_mapping, missing, dated=has_follow_up_and_evaluation_dates(facts.plan)
        ),
        MEASURES: rate_measures(facts.plan, missing),
        EVALUATION: rate_evaluation(facts.plan, today=today),
    }
    return CaseRating(
        enrolment_id=facts.enrolment_id,
        ratings={area: rating for area, (rating, _reasons) in results.items()},
        reasons={area: reasons for area, (_rating, reasons) in results.items()},
    )


def summarise(cases: Iterable[CaseRating]) -> dict[str, dict[str, int]]:
    """Per area, how many cases meet, partly meet and do not meet."""
    summary = {area: dict.fromkeys(RATINGS, 0) for area in AREAS}
    for case in cases:
        for area in AREAS:
            summary[area][case.ratings[area]] += 1
    return summary


def draw_sample(ids: Iterable[int], size: int, seed: int) -> list[int]:
    """A reproducible random sample (stickprov): the same ids, size and seed give the same cases."""
    population = sorted(ids)
    if size >= len(population):
        return population
    # Reproducibility, not secrecy, is the point here: the auditor can redraw the same sample.
    return sorted(random.Random(seed).sample(population, size))  # noqa: S311
