"""Synthetic demo contact attempts: the demo worklist shows every step, overdue items and deviations.

The young people and enrolments come from the registry's demo. Each enrolment
gets one scenario of the contact routine (docs/domain.md, "Contact routine"); the oldest enrolments get
the scenarios that need the most time, so that each step is due somewhere.
Idempotent: once the demo attempts exist, a second run adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from registry.models import Enrolment, Municipality, User

from . import demo_letters, demo_plans
from .models import ContactAttempt
from .services.routine_state import routine_state_refresh


@dataclass(frozen=True)
class Planned:
    day: int  # days after registration
    channel: str
    outcome: str
    note: str
    party: str = "youth"
    staff: str = ""


HOME_VISIT_STAFF = "Kim Koordinator och Alex Andersson-Demo"

# (scenario, the age in days an enrolment needs for its next step to be due, attempts)
SCENARIOS: list[tuple[str, int, list[Planned]]] = [
    (
        "periodic_attempt",
        183,
        [
            Planned(3, "letter", "not_reached", "Första brevet skickat."),
            Planned(33, "sms", "not_reached", "Sms om KAA och kommande hembesök."),
            Planned(
                63,
                "home_visit",
                "info_sheet_left",
                "Ingen hemma, informationsblad lämnat.",
                staff=HOME_VISIT_STAFF,
            ),
            Planned(93, "phone", "not_reached", "Inget svar."),
        ],
    ),
    (
        "post_visit_followup_after_late_visit",
        110,
        [
            Planned(4, "letter", "not_reached", "Första brevet skickat."),
            Planned(34, "phone", "not_reached", "Inget svar, röstmeddelande."),
            Planned(
                80,
                "home_visit",
                "info_sheet_left",
                "Hembesök, informationsblad lämnat.",
                staff=HOME_VISIT_STAFF,
            ),
        ],
    ),
    (
        "regular_followup",
        102,
        [
            Planned(5, "phone", "reached", "Pratade med ungdomen, bokade möte."),
            Planned(12, "meeting", "reached", "Samtal och kartläggning påbörjad."),
        ],
    ),
    (
        "post_visit_followup",
        90,
        [
            Planned(3, "letter", "not_reached", "Första brevet skickat."),
            Planned(30, "phone", "not_reached", "Inget svar.", party="guardian"),
            Planned(60, "home_visit", "not_reached", "Ingen hemma.", staff=HOME_VISIT_STAFF),
        ],
    ),
    (
        "home_visit",
        63,
        [
            Planned(3, "letter", "not_reached", "Första brevet skickat."),
            Planned(33, "letter", "not_reached", "Andra brevet med information om hembesök."),
        ],
    ),
    (
        "started_with_home_visit",
        35,
        [
            Planned(
                5,
                "home_visit",
                "not_reached",
                "Hembesök direkt, ingen hemma.",
                staff=HOME_VISIT_STAFF,
            )
        ],
    ),
    ("second_attempt", 33, [Planned(3, "letter", "not_reached", "Första brevet skickat.")]),
    (
        "offer_conversation",
        20,
        [
            Planned(2, "letter", "not_reached", "Första brevet skickat."),
            Planned(6, "phone", "reached", "Ungdomen ringde tillbaka."),
        ],
    ),
    (
        "first_contact_late",
        16,
        [Planned(16, "letter", "not_reached", "Första brevet skickat (sent).")],
    ),
    ("first_contact", 7, []),
    (
        "declined",
        20,
        [
            Planned(3, "phone", "reached", "Pratade med ungdomen."),
            Planned(9, "phone", "declined", "Vill inte ha stöd just nu."),
        ],
    ),
]
DEMO_NOTES = {p.note for _name, _age, planned in SCENARIOS for p in planned}


def _assign(enrolments: list[Enrolment], today: datetime.date) -> dict[int, list[Planned]]:
    """The most demanding scenarios go to the oldest enrolments; the rest cycle through what fits."""

    def age(enrolment: Enrolment) -> int:
        return ((enrolment.ended_on or today) - enrolment.registered_on).days

    by_age = sorted(enrolments, key=lambda e: (-age(e), e.pk))
    plan: dict[int, list[Planned]] = {}
    pending = sorted(SCENARIOS, key=lambda s: -s[1])
    rest = []
    for enrolment in by_age:
        fitting = [s for s in pending if age(enrolment) >= s[1]]
        if fitting:
            scenario = fitting[0]
            pending.remove(scenario)
            plan[enrolment.pk] = scenario[2]
        else:
            rest.append(enrolment)
    for i, enrolment in enumerate(rest):
        fitting = [s for s in SCENARIOS if age(enrolment) >= s[1]] or [SCENARIOS[-2]]
        plan[enrolment.pk] = fitting[i % len(fitting)][2]
    return plan


def seed(municipality: Municipality, users: dict[str, User]) -> str:
    """Contact attempts (this module), mappings and plans, letter templates."""
    parts = (
        seed_attempts(municipality, users),
        demo_plans.seed(municipality, users),
        demo_letters.seed(municipality, users),
    )
    return "; ".join(part for part in parts if part)


def seed_attempts(municipality: Municipality, users: dict[str, User]) -> str:
    if ContactAttempt.objects.filter(
        enrolment__municipality=municipality, note__in=DEMO_NOTES
    ).exists():
        return "kontaktförsök fanns redan"
    today = timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(municipality=municipality).select_related("coordinator")
    )
    fallback = users.get("koordinator")
    attempts = []
    plan = _assign(enrolments, today)
    for enrolment in enrolments:
        last_day = min(enrolment.ended_on or today, today)
        for planned in plan[enrolment.pk]:
            day = enrolment.registered_on + datetime.timedelta(days=planned.day)
            if day > last_day:
                continue
            attempts.append(
                ContactAttempt(
                    enrolment=enrolment,
                    date=day,
                    channel=planned.channel,
                    party=planned.party,
                    outcome=planned.outcome,
                    note=planned.note,
                    staff=planned.staff,
                    recorded_by=enrolment.coordinator or fallback,
                )
            )
    bulk_create_with_history(attempts, ContactAttempt, default_user=fallback)
    routine_state_refresh(municipality=municipality, today=today)
    return f"{len(attempts)} kontaktförsök för {len(enrolments)} inskrivningar"
