"""Skolverket's seven documentation items of an individual plan (docs/domain.md, "Individual plan").

Pure: plain dataclasses and an explicit ``today``; nothing from the ORM. The
numbers 1-7 are part of the API (``missing`` on a plan). The rules, exactly:

- 1: the plan's goal or its planning text is empty.
- 2, 3, 4: the plan has no measure yet (all three), or a measure names no
  responsible party (all three), or a measure given to another actor does not
  name the actor (4). "Om det är aktuellt": a plan need not have measures of
  all three kinds, so a plan whose measures all name the young person is not
  missing 3 or 4.
- 5: no measure yet, or a measure lacks its start or planned end date.
- 6: a measure has ended without a reason.
- 7: no measure yet, or a measure lacks a follow-up or an evaluation date, or
  its evaluation date has passed (is before today) with no evaluation written.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ITEM_GOAL_AND_PLANNING = 1
ITEM_YOUTH_RESPONSIBLE = 2
ITEM_MUNICIPALITY_RESPONSIBLE = 3
ITEM_OTHER_ACTOR_RESPONSIBLE = 4
ITEM_DATES = 5
ITEM_END_REASON = 6
ITEM_FOLLOW_UP_AND_EVALUATION = 7

ALL_ITEMS = (1, 2, 3, 4, 5, 6, 7)

# The code lists of a measure: the one source of them. Measure's TextChoices add
# the Swedish labels to these codes and the API accepts exactly these
# (``tests/casework/test_codes.py`` fails when they disagree).
# The kinds of measure (Measure.type).
MEASURE_MOTIVATIONAL = "motivational"
MEASURE_GUIDANCE = "guidance"
MEASURE_INTERNSHIP = "internship"
MEASURE_ADULT_EDUCATION = "adult_education"
MEASURE_FOLK_HIGH_SCHOOL = "folk_high_school"
MEASURE_SOCIAL_SERVICES = "social_services"
MEASURE_EMPLOYMENT_SERVICE = "employment_service"
MEASURE_CHILD_PSYCHIATRY = "child_psychiatry"
MEASURE_OTHER = "other"
MEASURE_TYPES = (
    MEASURE_MOTIVATIONAL,
    MEASURE_GUIDANCE,
    MEASURE_INTERNSHIP,
    MEASURE_ADULT_EDUCATION,
    MEASURE_FOLK_HIGH_SCHOOL,
    MEASURE_SOCIAL_SERVICES,
    MEASURE_EMPLOYMENT_SERVICE,
    MEASURE_CHILD_PSYCHIATRY,
    MEASURE_OTHER,
)

# Who is responsible for a measure (Measure.responsible; "" when not yet named).
RESPONSIBLE_YOUTH = "youth"
RESPONSIBLE_MUNICIPALITY = "municipality"
RESPONSIBLE_OTHER_ACTOR = "other_actor"
RESPONSIBLES = (RESPONSIBLE_YOUTH, RESPONSIBLE_MUNICIPALITY, RESPONSIBLE_OTHER_ACTOR)

# The result of a measure's evaluation (Measure.evaluation_result; "" when none).
EVALUATION_ACHIEVED = "achieved"
EVALUATION_PARTLY = "partly"
EVALUATION_NOT_ACHIEVED = "not_achieved"
EVALUATION_RESULTS = (EVALUATION_ACHIEVED, EVALUATION_PARTLY, EVALUATION_NOT_ACHIEVED)


# The checklist as the plan page shows it, in Skolverket's words.
ITEM_LABELS = {
    ITEM_GOAL_AND_PLANNING: _("Den individuella planeringen och målet med insatserna"),
    ITEM_YOUTH_RESPONSIBLE: _("Insatser som ungdomen ansvarar för"),
    ITEM_MUNICIPALITY_RESPONSIBLE: _("Insatser som kommunen ansvarar för"),
    ITEM_OTHER_ACTOR_RESPONSIBLE: _("Insatser som annan aktör ansvarar för, och vilken aktör"),
    ITEM_DATES: _("Datum då insatserna startar och slutar"),
    ITEM_END_REASON: _("Orsak till att en insats avslutats"),
    ITEM_FOLLOW_UP_AND_EVALUATION: _("Tidpunkter för uppföljning och utvärdering av insatserna"),
}


@dataclass(frozen=True)
class MeasureFacts:
    responsible: str = ""  # "youth", "municipality", "other_actor" or ""
    actor_name: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    follow_up_on: datetime.date | None = None
    evaluate_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    end_reason: str = ""
    evaluation: str = ""  # the written evaluation (its text or its result), "" when none


@dataclass(frozen=True)
class PlanFacts:
    goal: str = ""
    planning: str = ""
    measures: Sequence[MeasureFacts] = field(default_factory=tuple)


@dataclass(frozen=True)
class ChecklistItem:
    number: int
    label: str
    is_missing: bool
    # False when nothing in the plan can be documented for this item yet
    # (``not_applicable_yet``): shown as "not yet applicable", never as done.
    applies: bool = True


def _is_blank(text: str | None) -> bool:
    return not (text or "").strip()


def is_evaluation_overdue(measure: MeasureFacts, *, today: datetime.date) -> bool:
    """The evaluation date has passed and nothing is written: missing until it is."""
    return (
        measure.evaluate_on is not None
        and measure.evaluate_on < today
        and _is_blank(measure.evaluation)
    )


def missing_items(plan: PlanFacts | None, *, today: datetime.date) -> list[int]:
    """The numbers (1-7) of Skolverket's items not yet documented, ascending.

    ``None`` means the enrolment has no plan yet. It is read exactly as an
    empty plan (no goal, no planning, no measure): 1, 2, 3, 4, 5 and 7 are
    missing, but not 6, which only a measure ended without a reason can miss.
    Saving an empty plan therefore never changes what is missing.
    """
    if plan is None:
        plan = PlanFacts()
    missing: set[int] = set()
    if _is_blank(plan.goal) or _is_blank(plan.planning):
        missing.add(ITEM_GOAL_AND_PLANNING)
    if not plan.measures:
        missing.update(
            {
                ITEM_YOUTH_RESPONSIBLE,
                ITEM_MUNICIPALITY_RESPONSIBLE,
                ITEM_OTHER_ACTOR_RESPONSIBLE,
                ITEM_DATES,
                ITEM_FOLLOW_UP_AND_EVALUATION,
            }
        )
    for measure in plan.measures:
        if _is_blank(measure.responsible):
            missing.update(
                {
                    ITEM_YOUTH_RESPONSIBLE,
                    ITEM_MUNICIPALITY_RESPONSIBLE,
                    ITEM_OTHER_ACTOR_RESPONSIBLE,
                }
            )
        elif measure.responsible == RESPONSIBLE_OTHER_ACTOR and _is_blank(measure.actor_name):
            missing.add(ITEM_OTHER_ACTOR_RESPONSIBLE)
        if measure.starts_on is None or measure.ends_on is None:
            missing.add(ITEM_DATES)
        if measure.ended_on is not None and _is_blank(measure.end_reason):
            missing.add(ITEM_END_REASON)
        if (
            measure.follow_up_on is None
            or measure.evaluate_on is None
            or is_evaluation_overdue(measure, today=today)
        ):
            missing.add(ITEM_FOLLOW_UP_AND_EVALUATION)
    return sorted(missing)


def not_applicable_yet(plan: PlanFacts | None, *, today: datetime.date) -> set[int]:
    """The items not missing only because nothing they are about exists yet.

    - 6 (the reason a measure ended) until a measure has ended;
    - 2, 3 or 4 (measures the young person, the municipality or another actor
      is responsible for) while every measure names a responsible party and
      none names that one ("om det är aktuellt"). With no measure at all they
      are missing, not inapplicable.

    A missing item is never in this set.
    """
    plan = plan or PlanFacts()
    items: set[int] = set()
    if not any(measure.ended_on is not None for measure in plan.measures):
        items.add(ITEM_END_REASON)
    if plan.measures and all(not _is_blank(m.responsible) for m in plan.measures):
        named = {measure.responsible for measure in plan.measures}
        for item, code in (
            (ITEM_YOUTH_RESPONSIBLE, RESPONSIBLE_YOUTH),
            (ITEM_MUNICIPALITY_RESPONSIBLE, RESPONSIBLE_MUNICIPALITY),
            (ITEM_OTHER_ACTOR_RESPONSIBLE, RESPONSIBLE_OTHER_ACTOR),
        ):
            if code not in named:
                items.add(item)
    return items - set(missing_items(plan, today=today))


def checklist(plan: PlanFacts | None, *, today: datetime.date) -> list[ChecklistItem]:
    """All seven items with their Swedish labels: missing, documented or not applicable yet."""
    missing = set(missing_items(plan, today=today))
    inapplicable = not_applicable_yet(plan, today=today)
    return [
        ChecklistItem(
            number=number,
            label=str(ITEM_LABELS[number]),
            is_missing=number in missing,
            applies=number not in inapplicable,
        )
        for number in ALL_ITEMS
    ]
