"""The database form of the effects rule equals casework.effects.outcome on generated cases."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

import pytest

from casework import effects
from casework.models import Measure, Plan
from casework.selectors.effects import enrolment_facts, with_outcomes
from registry.models import EndReason, Enrolment, Occupation, OccupationKind
from registry.models.youth import OCCUPATION_SCB_CATEGORY
from tests.factories import MunicipalityFactory, YouthFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)
KINDS = [kind.value for kind in OccupationKind]
REASONS = [reason.value for reason in EndReason]
# Days where the rule's arithmetic has edges: month ends and a leap day.
EDGE_DAYS = [
    datetime.date(2024, 2, 29),
    datetime.date(2024, 8, 31),
    datetime.date(2025, 1, 31),
    datetime.date(2025, 8, 31),
    datetime.date(2025, 3, 31),
    datetime.date(2025, 12, 31),
    datetime.date(2026, 5, 24),  # + 6 months = TODAY
    datetime.date(2025, 11, 24),  # + 12 months = TODAY
]


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def generate(rng: random.Random, municipality, count: int) -> None:
    """Young people with one to three enrolments, gaps, occupations and ended measures."""
    for _ in range(count):
        youth = YouthFactory(municipality=municipality)
        start = datetime.date(2023, 6, 1) + days(rng.randint(0, 700))
        enrolments = []
        for number in range(rng.choice([1, 1, 2, 2, 3])):
            ended_on = start + days(rng.randint(0, 500))
            is_open = number == 2 or rng.random() < 0.25
            if is_open or ended_on > TODAY:
                ended_on = None
            enrolment = Enrolment.objects.create(
                municipality=municipality,
                youth=youth,
                registered_on=start,
                source="other",
                ended_on=ended_on,
                end_reason=rng.choice(REASONS) if ended_on else "",
            )
            enrolments.append(enrolment)
            if ended_on is None:
                break
            start = ended_on + days(rng.choice([0, 1, 30, 120, 300]))
            if start > TODAY:
                break
        occupations = []
        for enrolment in enrolments:
            last = enrolment.ended_on or TODAY
            for _ in range(rng.choice([0, 1, 2, 3])):
                from_date = enrolment.registered_on + days(
                    rng.randint(-30, (last - enrolment.registered_on).days + 30)
                )
                occupations.append(
                    Occupation(enrolment=enrolment, from_date=from_date, kind=rng.choice(KINDS))
                )
                if rng.random() < 0.2:  # a second record the same day
                    occupations.append(
                        Occupation(enrolment=enrolment, from_date=from_date, kind=rng.choice(KINDS))
                    )
        Occupation.objects.bulk_create(occupations)
        plan = Plan.objects.create(enrolment=enrolments[0])
        measures = []
        for _ in range(rng.choice([1, 2, 3])):
            roll = rng.random()
            if roll < 0.25:
                ended_on = rng.choice(EDGE_DAYS)
            elif roll < 0.5:
                # D lands on an enrolment's end, registration or an occupation's day.
                target = rng.choice(
                    [e.ended_on or TODAY for e in enrolments]
                    + [e.registered_on for e in enrolments]
                    + [o.from_date for o in occupations or []]
                )
                ended_on = effects.add_months(target, -rng.choice([6, 12]))
            else:
                ended_on = enrolments[0].registered_on + days(rng.randint(0, 600))
            measures.append(Measure(plan=plan, type="guidance", ended_on=min(ended_on, TODAY)))
        Measure.objects.bulk_create(measures)


def test_the_database_outcomes_equal_the_pure_rule(django_assert_num_queries):
    rng = random.Random(20261124)
    municipality = MunicipalityFactory(code="0995", name="Slumpkommunen")
    generate(rng, municipality, 150)

    with django_assert_num_queries(1):
        rows = list(
            with_outcomes(Measure.objects.all(), today=TODAY).values(
                "id", "ended_on", "plan__enrolment__youth_id", "outcome_6", "outcome_12"
            )
        )
    by_youth = defaultdict(list)
    for enrolment in Enrolment.objects.prefetch_related("occupations"):
        by_youth[enrolment.youth_id].append(enrolment)

    seen = set()
    for row in rows:
        facts = enrolment_facts(by_youth[row["plan__enrolment__youth_id"]])
        for months in effects.FOLLOW_UP_MONTHS:
            expected = effects.outcome(
                ended_on=row["ended_on"],
                months=months,
                enrolments=facts,
                today=TODAY,
                category_of=OCCUPATION_SCB_CATEGORY,
            )
            assert row[f"outcome_{months}"] == expected, (row, months, facts)
            seen.add(expected)
    # The cases reach every outcome an occupation kind can give, and the three others.
    reachable = {str(c) for c in OCCUPATION_SCB_CATEGORY.values()} | {
        effects.UPPER_SECONDARY,
        effects.LEFT,
        effects.NOT_YET_KNOWN,
    }
    assert seen == reachable
