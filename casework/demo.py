"""Synthetic demo contact attempts that follow the routine the way a working KAA team does.

The young people and enrolments come from the registry's demo. Every enrolment
gets a track (reached, declined, not reached yet) and its attempts are made on
the routine's own due dates (docs/domain.md, "Contact routine"), a few days
within the tolerance, up to today: most active cases are on time, and only a
realistic few (about 12 %) stopped being followed up and are overdue today.
A handful of "showcase" enrolments make sure every step is due somewhere and
every deviation the auditors look for occurs once. All dates are relative to
today. Idempotent: once the demo attempts exist, a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from registry.models import Enrolment, Municipality, User

from . import demo_letters, demo_plans, routine
from .models import ContactAttempt, RoutineSettings
from .services.routine_state import routine_state_refresh

DEMO_SEED = 20260902
HOME_VISIT_STAFF = "Kim Koordinator och Alex Andersson-Demo"
# Of the active enrolments: reached, declined, not reached yet (weights).
TRACKS = (("reached", 60), ("declined", 12), ("unreached", 28))
# The attempt that establishes contact: the 1st, 2nd, 3rd (home visit) or a later one.
REACHED_AT = ((0, 45), (1, 25), (2, 18), (3, 8), (4, 4))
# Share of the active enrolments whose follow-up stopped: overdue today.
OVERDUE_SHARE = 0.12
# Attempts are made up to 6 days after their due date: within the tolerance (7 days).
MAX_DELAY_DAYS = 6


@dataclass(frozen=True)
class Made:
    date: datetime.date
    channel: str
    outcome: str
    note: str
    party: str = "youth"
    staff: str = ""

    def as_attempt(self) -> routine.Attempt:
        return routine.Attempt(self.date, self.channel, self.outcome)


# What an attempt looks like, per step and outcome: (channel, outcome, note, party).
NOT_REACHED = {
    routine.FIRST_CONTACT: (("letter", "not_reached", "Första brevet skickat.", "youth"),),
    routine.SECOND_ATTEMPT: (
        ("sms", "not_reached", "Sms om KAA och kommande hembesök.", "youth"),
        ("phone", "not_reached", "Inget svar, röstmeddelande.", "youth"),
        ("phone", "not_reached", "Inget svar.", "guardian"),
        ("letter", "not_reached", "Andra brevet med information om hembesök.", "youth"),
    ),
    routine.HOME_VISIT: (
        ("home_visit", "info_sheet_left", "Ingen hemma, informationsblad lämnat.", "youth"),
        ("home_visit", "not_reached", "Ingen hemma.", "youth"),
    ),
    routine.POST_VISIT_FOLLOWUP: (
        ("phone", "not_reached", "Inget svar.", "youth"),
        ("sms", "not_reached", "Sms efter hembesöket.", "youth"),
    ),
    routine.PERIODIC_ATTEMPT: (
        ("letter", "not_reached", "Nytt brev om vad KAA kan erbjuda.", "youth"),
        ("phone", "not_reached", "Inget svar.", "youth"),
        ("sms", "not_reached", "Sms, inget svar.", "youth"),
    ),
}
REACHED = {
    routine.FIRST_CONTACT: (
        ("phone", "reached", "Pratade med ungdomen, bokade ett möte.", "youth"),
        ("phone", "reached", "Pratade med vårdnadshavaren och ungdomen.", "guardian"),
    ),
    routine.HOME_VISIT: (("home_visit", "reached", "Träffade ungdomen hemma.", "youth"),),
    "other": (
        ("phone", "reached", "Ungdomen ringde tillbaka efter brevet.", "youth"),
        ("sms", "reached", "Ungdomen svarade på sms:et, bokade ett möte.", "youth"),
    ),
}
CONVERSATION = (
    ("meeting", "reached", "Samtal och kartläggning på KAA-kontoret.", "youth"),
    ("digital_meeting", "reached", "Digitalt samtal, kartläggning påbörjad.", "youth"),
)
FOLLOWUP = (
    ("phone", "reached", "Uppföljning: sysselsättningen fungerar.", "youth"),
    ("meeting", "reached", "Uppföljande möte om planen.", "youth"),
    ("sms", "reached", "Uppföljning via sms, allt fungerar.", "youth"),
)
DECLINING = (
    ("phone", "declined", "Vill inte ha stöd just nu.", "youth"),
    ("phone", "declined", "Uppföljning, vill fortfarande inte ha stöd.", "youth"),
)
LATE_FIRST_NOTE = "Första brevet skickat (sent)."
DIRECT_VISIT_NOTE = "Hembesök direkt, ingen hemma."
LATE_VISIT_NOTE = "Hembesök (sent), informationsblad lämnat."
DEMO_NOTES = {
    note
    for table in (NOT_REACHED, REACHED)
    for options in table.values()
    for _channel, _outcome, note, _party in options
} | {note for options in (CONVERSATION, FOLLOWUP, DECLINING) for _c, _o, note, _p in options}
DEMO_NOTES |= {LATE_FIRST_NOTE, DIRECT_VISIT_NOTE, LATE_VISIT_NOTE}


def _attempt(
    rng: random.Random, day: datetime.date, options: tuple[tuple[str, str, str, str], ...]
) -> Made:
    channel, outcome, note, party = rng.choice(options)
    return Made(
        day, channel, outcome, note, party, HOME_VISIT_STAFF if channel == "home_visit" else ""
    )


@dataclass
class Chain:
    """The attempts made, with the step each one answered and its due date."""

    made: list[Made]
    steps: list[tuple[str, datetime.date]]  # (step, due) before each attempt, then the next one


# Optional changes to one attempt of a chain: (index, step, due, made) -> made.
Twist = Callable[[int, str, datetime.date, Made], Made]


def _chain(
    *,
    registered_on: datetime.date,
    until: datetime.date,
    track: str,
    rng: random.Random,
    days: routine.RoutineDays,
    twist: Twist | None = None,
) -> Chain:
    """Follow the routine from registration up to ``until``, each attempt on time."""
    reached_at = rng.choices(*zip(*REACHED_AT, strict=True))[0] if track != "unreached" else None
    made: list[Made] = []
    steps: list[tuple[str, datetime.date]] = []
    while True:
        plan = routine.schedule(
            registered_on=registered_on,
            ended_on=None,
            attempts=[m.as_attempt() for m in made],
            days=days,
            as_of=until,
        )
        assert plan.next_step is not None and plan.next_due is not None
        step, due = plan.next_step, plan.next_due
        steps.append((step, due))
        delay = rng.randrange(0, min(MAX_DELAY_DAYS, days.tolerance_days - 1) + 1)
        day = due + datetime.timedelta(days=delay)
        options: tuple[tuple[str, str, str, str], ...]
        if step == routine.OFFER_CONVERSATION:
            options = DECLINING[:1] if track == "declined" else CONVERSATION
            day = due - datetime.timedelta(days=rng.randrange(3, 10))  # usually booked sooner
        elif step == routine.REGULAR_FOLLOWUP:
            options = DECLINING[1:] if track == "declined" else FOLLOWUP
        elif len(made) == reached_at:
            options = REACHED.get(step, REACHED["other"])
        else:
            options = NOT_REACHED[step]
        attempt = _attempt(rng, day, options)
        if twist is not None:
            attempt = twist(len(made), step, due, attempt)
        if attempt.date > until:
            return Chain(made, steps)
        made.append(attempt)


def _overdue_prefix(chain: Chain, today: datetime.date, days: routine.RoutineDays) -> int | None:
    """The longest prefix of the attempts after which today's step is overdue."""
    tolerance = datetime.timedelta(days=days.tolerance_days)
    for index in range(len(chain.steps) - 1, -1, -1):
        if chain.steps[index][1] + tolerance < today:
            return index
    return None


def _age(enrolment: Enrolment, today: datetime.date) -> int:
    return (today - enrolment.registered_on).days


def _showcases(
    active: list[Enrolment], today: datetime.date, days: routine.RoutineDays
) -> dict[int, list[Made]]:
    """Every step due somewhere and every contact deviation once, each on the least overdue fit."""
    chosen: dict[int, list[Made]] = {}
    tolerance = days.tolerance_days

    def pick(
        track: str, target: str | None, min_age: int, twist: Twist | None = None, seed: int = 0
    ) -> None:
        best: tuple[int, int, list[Made]] | None = None
        for enrolment in sorted(active, key=lambda e: (_age(e, today), e.pk)):
            if enrolment.pk in chosen or _age(enrolment, today) < min_age:
                continue
            rng = random.Random(DEMO_SEED + seed)  # noqa: S311 (synthetic demo data)
            chain = _chain(
                registered_on=enrolment.registered_on,
                until=today,
                track=track,
                rng=rng,
                days=days,
                twist=twist,
            )
            if target is None:
                lateness, made = 0, chain.made
            else:
                fits = [i for i, (step, due) in enumerate(chain.steps) if step == target]
                fits = [i for i in fits if chain.steps[i][1] <= today]
                if not fits:
                    continue
                index = fits[-1]
                lateness, made = (today - chain.steps[index][1]).days, chain.made[:index]
            if best is None or lateness < best[0]:
                best = (lateness, enrolment.pk, made)
            if lateness <= tolerance:
                break
        if best is not None:
            chosen[best[1]] = best[2]

    for seed, (track, step) in enumerate(
        (
            ("unreached", routine.FIRST_CONTACT),
            ("unreached", routine.SECOND_ATTEMPT),
            ("unreached", routine.HOME_VISIT),
            ("unreached", routine.POST_VISIT_FOLLOWUP),
            ("unreached", routine.PERIODIC_ATTEMPT),
            ("reached", routine.OFFER_CONVERSATION),
            ("reached", routine.REGULAR_FOLLOWUP),
        )
    ):
        pick(track, step, days.first_contact_days, seed=seed)

    def late_first(index: int, step: str, due: datetime.date, made: Made) -> Made:
        if index:
            return made
        late = due + datetime.timedelta(days=tolerance + 6)
        return Made(late, "letter", "not_reached", LATE_FIRST_NOTE)

    def direct_visit(index: int, step: str, due: datetime.date, made: Made) -> Made:
        if index:
            return made
        return Made(
            made.date, "home_visit", "not_reached", DIRECT_VISIT_NOTE, staff=HOME_VISIT_STAFF
        )

    def late_visit(index: int, step: str, due: datetime.date, made: Made) -> Made:
        if step != routine.HOME_VISIT:
            return made
        late = due + datetime.timedelta(days=tolerance + 16)
        return Made(late, "home_visit", "info_sheet_left", LATE_VISIT_NOTE, staff=HOME_VISIT_STAFF)

    pick("reached", None, days.first_contact_days + tolerance + 8, late_first, seed=10)
    pick("unreached", None, days.first_contact_days + 4, direct_visit, seed=11)
    pick("unreached", None, days.home_visit_days + tolerance + 30, late_visit, seed=12)
    # No attempt at all: the youngest enrolment past registration + 7 + tolerance.
    for enrolment in sorted(active, key=lambda e: (_age(e, today), e.pk)):
        if (
            enrolment.pk not in chosen
            and _age(enrolment, today) > days.first_contact_days + tolerance
        ):
            chosen[enrolment.pk] = []
            break
    return chosen


def _plan(
    enrolments: list[Enrolment], today: datetime.date, days: routine.RoutineDays
) -> dict[int, list[Made]]:
    rng = random.Random(DEMO_SEED)  # noqa: S311 (synthetic demo data, not security)
    active = [e for e in enrolments if e.ended_on is None]
    plan = _showcases(active, today, days)
    showcase_overdue = sum(
        1
        for pk, made in plan.items()
        if (step := _next(enrolments, pk, made, today, days)) is not None and step.overdue
    )
    overdue_left = max(round(OVERDUE_SHARE * len(active)) - showcase_overdue, 0)
    rest = [e for e in enrolments if e.pk not in plan]
    # The overdue few are drawn in advance, evenly over the register.
    rest_active = [e for e in rest if e.ended_on is None and _age(e, today) > 21]
    overdue = {e.pk for e in rng.sample(rest_active, min(overdue_left, len(rest_active)))}
    tracks = [name for name, _weight in TRACKS]
    weights = [weight for _name, weight in TRACKS]
    for enrolment in rest:
        track = rng.choices(tracks, weights=weights)[0]
        until = min(enrolment.ended_on or today, today)
        chain = _chain(
            registered_on=enrolment.registered_on, until=until, track=track, rng=rng, days=days
        )
        made = chain.made
        if enrolment.pk in overdue:
            cut = _overdue_prefix(chain, today, days)
            made = made[:cut] if cut is not None else made
        plan[enrolment.pk] = made
    return plan


def _next(
    enrolments: list[Enrolment],
    pk: int,
    made: list[Made],
    today: datetime.date,
    days: routine.RoutineDays,
) -> routine.NextStep | None:
    enrolment = next(e for e in enrolments if e.pk == pk)
    return routine.evaluate(
        registered_on=enrolment.registered_on,
        ended_on=enrolment.ended_on,
        attempts=[m.as_attempt() for m in made],
        days=days,
        as_of=today,
    ).next_step


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
        Enrolment.objects.filter(municipality=municipality, registered_on__lte=today)
        .select_related("coordinator")
        .order_by("pk")
    )
    days = routine.RoutineDays.from_settings(
        RoutineSettings.objects.filter(municipality=municipality).first()
    )
    fallback = users.get("koordinator") or next(iter(users.values()), None)
    attempts = []
    plan = _plan(enrolments, today, days)
    for enrolment in enrolments:
        for made in plan[enrolment.pk]:
            attempts.append(
                ContactAttempt(
                    enrolment=enrolment,
                    date=made.date,
                    channel=made.channel,
                    party=made.party,
                    outcome=made.outcome,
                    note=made.note,
                    staff=made.staff,
                    recorded_by=enrolment.coordinator or fallback,
                )
            )
    bulk_create_with_history(attempts, ContactAttempt, default_user=fallback)
    routine_state_refresh(municipality=municipality, today=today)
    return f"{len(attempts)} kontaktförsök för {len(enrolments)} inskrivningar"
