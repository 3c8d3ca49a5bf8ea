"""Demo mappings, plans and measures: every state from empty to complete and evaluated.

Called from ``casework.demo.seed`` after the registry's young people exist. All
text is invented. Idempotent: an enrolment that already has a mapping or a plan
is left alone, and actors are found by name, so a second run adds nothing.
Works on SQLite (the demo database) and PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from registry.models import Enrolment, Municipality, User

from .models import (
    Actor,
    Channel,
    ContactAttempt,
    EvaluationResult,
    Mapping,
    Measure,
    MeasureType,
    Outcome,
    Plan,
    Responsible,
)
from .services.plans import (
    actor_create,
    mapping_save,
    measure_end,
    measure_update,
    plan_measure_add,
    plan_save,
)

DEMO_ACTORS = ("Socialtjänsten", "Arbetsförmedlingen", "Komvux", "BUP")

# One plan state per enrolment, in turn; most young people have no plan yet
# (docs/domain.md, "Demo proportions": about a fifth take part in a measure in a half-year).
STATE_CYCLE = (
    "empty",
    "empty",
    "empty",
    "mapping_only",
    "goal_only",
    "incomplete_measures",
    "complete_ongoing",
    "evaluation_overdue",
    "complete_evaluated",
    "declined",
)
# With the contact demo in place, only young people who came to the conversation
# get a mapping (dated that day), and most of them a plan; about a quarter of
# those offered a measure decline it.
CONVERSATION_CYCLE = (
    "mapping_only",
    "complete_ongoing",
    "goal_only",
    "declined",
    "complete_evaluated",
    "mapping_only",
    "incomplete_measures",
    "complete_ongoing",
    "evaluation_overdue",
    "declined",
    "mapping_only",
    "complete_evaluated",
)
# An ongoing measure started at most this many days ago, an ended one this many.
ONGOING_WITHIN_DAYS = 75
ENDED_WITHIN_DAYS = 120
# Every third ongoing plan's follow-ups are late: the worklist's reminders.
FOLLOW_UP_MISSED_EVERY = 3
# An ended measure needs this many days between registration and today.
DAYS_NEEDED_TO_END = 45
# Young people who have left KAA had measures too: every second ended enrolment long
# enough for one gets a plan with a measure ended before it, so the effects report
# (docs/domain.md, "Effects") has outcomes 6 and 12 months later to show.
PAST_MEASURE_EVERY = 2
PAST_MEASURE_START_DAYS = 14
PAST_MEASURE_WEEKS = 5
PAST_MEASURES = (
    (MeasureType.INTERNSHIP, Responsible.YOUTH, "", "Praktik i en butik."),
    (MeasureType.GUIDANCE, Responsible.MUNICIPALITY, "", "Studie- och yrkesvägledning."),
    (
        MeasureType.EMPLOYMENT_SERVICE,
        Responsible.OTHER_ACTOR,
        "Arbetsförmedlingen",
        "Inskrivning på Arbetsförmedlingen.",
    ),
    (MeasureType.ADULT_EDUCATION, Responsible.OTHER_ACTOR, "Komvux", "Kurs i matematik på Komvux."),
    (MeasureType.MOTIVATIONAL, Responsible.MUNICIPALITY, "", "Motiverande samtal varannan vecka."),
)


def _actors(municipality: Municipality, user: User) -> dict[str, Actor]:
    actors = {}
    for name in DEMO_ACTORS:
        actor = Actor.objects.filter(municipality=municipality, name=name).first()
        if actor is None:
            actor = actor_create(user=user, municipality=municipality, name=name)
        actors[name] = actor
    return actors


def _mapping(enrolment: Enrolment, user: User, day: datetime.date) -> None:
    mapping_save(
        user=user,
        enrolment=enrolment,
        version=0,
        date=day,
        situation="Bor hemma hos en förälder. Har inte gått i skolan sedan i våras.",
        interests="Gaming, träning och att laga mopeder.",
        needs="Stöd att komma igång med en vardagsstruktur; vill ha någon att prata med.",
        obstacles="Sover dåligt, har haft ångest inför skolan.",
        own_goal="Vill jobba med fordon, kanske läsa in gymnasiet på Komvux.",
    )


def _goal(enrolment: Enrolment, user: User) -> None:
    plan_save(
        user=user,
        enrolment=enrolment,
        version=0,
        goal="Att börja på fordonsutbildning inom Komvux till hösten.",
        planning="Samtal varannan vecka med koordinatorn, studiebesök på Komvux, "
        "praktik på en verkstad under våren.",
    )


def _followed_up(measure: Measure, user: User, today: datetime.date) -> None:
    """The follow-up made a couple of days after its date, if that has come."""
    if measure.follow_up_on is None or measure.follow_up_on > today:
        return
    measure_update(
        user=user,
        measure=measure,
        version=measure.version,
        followed_up_at=min(measure.follow_up_on + datetime.timedelta(days=2), today),
        follow_up_note="Följde upp med ungdomen; insatsen fortsätter enligt planen.",
    )


def _dates(start: datetime.date, weeks: int, today: datetime.date) -> dict[str, datetime.date]:
    """An ongoing measure: its planned end and evaluation are still ahead of today."""
    end = max(start + datetime.timedelta(weeks=weeks), today + datetime.timedelta(weeks=4))
    return {
        "starts_on": start,
        "ends_on": end,
        "follow_up_on": start + datetime.timedelta(weeks=2),
        "evaluate_on": end,
    }


def _ended_dates(start: datetime.date, weeks: int) -> dict[str, datetime.date]:
    end = start + datetime.timedelta(weeks=weeks)
    return {
        "starts_on": start,
        "ends_on": end,
        "follow_up_on": start + datetime.timedelta(weeks=weeks // 2 or 1),
        "evaluate_on": end,
    }


def _seed_state(
    state: str,
    enrolment: Enrolment,
    user: User,
    actors: dict[str, Actor],
    today: datetime.date,
    mapped_on: datetime.date | None = None,
) -> None:
    """``mapped_on``: the day of the conversation (default: registration + 10 days)."""
    mapped_on = min(mapped_on or enrolment.registered_on + datetime.timedelta(days=10), today)
    # Measures start a week or so after the mapping, and the demo's are recent.
    within = ONGOING_WITHIN_DAYS
    if state in ("complete_evaluated", "declined"):
        within = ENDED_WITHIN_DAYS
    start = mapped_on + datetime.timedelta(days=11)
    if start < today - datetime.timedelta(days=within):
        # Mapped long ago: a measure started some time in the last months.
        spread = (enrolment.pk * 13) % (within - 14)
        start = today - datetime.timedelta(days=within - spread)
    start = min(start, today)
    if state == "empty":
        return
    _mapping(enrolment, user, mapped_on)
    if state == "mapping_only":
        return
    _goal(enrolment, user)
    if state == "goal_only":
        return
    if state == "incomplete_measures":
        # Documented in a hurry: no responsible party, no dates (items 2-5, 7 missing).
        plan_measure_add(
            user=user,
            enrolment=enrolment,
            type=MeasureType.MOTIVATIONAL,
            description="Motiverande samtal.",
        )
        return
    motivational = plan_measure_add(
        user=user,
        enrolment=enrolment,
        type=MeasureType.MOTIVATIONAL,
        description="Motiverande samtal varannan vecka.",
        responsible=Responsible.MUNICIPALITY,
        **_dates(start, 12, today),
    )
    # Follow-ups are made on time, except for a few the worklist reminds of.
    on_time = state != "complete_ongoing" or enrolment.pk % FOLLOW_UP_MISSED_EVERY
    if on_time:
        _followed_up(motivational, user, today)
    if state == "complete_ongoing":
        measure = plan_measure_add(
            user=user,
            enrolment=enrolment,
            type=MeasureType.EMPLOYMENT_SERVICE,
            description="Skriva in sig hos Arbetsförmedlingen.",
            responsible=Responsible.OTHER_ACTOR,
            actor=actors["Arbetsförmedlingen"],
            **_dates(start, 8, today),
        )
        if on_time:
            _followed_up(measure, user, today)
        return
    if state == "evaluation_overdue":
        # The evaluation date has passed without an evaluation: item 7 is missing.
        measure = plan_measure_add(
            user=user,
            enrolment=enrolment,
            type=MeasureType.GUIDANCE,
            description="Studie- och yrkesvägledning inför Komvux.",
            responsible=Responsible.YOUTH,
            starts_on=start,
            ends_on=today + datetime.timedelta(weeks=4),
            follow_up_on=start + datetime.timedelta(weeks=1),
            evaluate_on=today - datetime.timedelta(days=3 + enrolment.pk % 20),
        )
        _followed_up(measure, user, today)
        return
    ended_on = min(start + datetime.timedelta(weeks=4), today)
    if state == "complete_evaluated":
        measure = plan_measure_add(
            user=user,
            enrolment=enrolment,
            type=MeasureType.ADULT_EDUCATION,
            description="Förberedande kurs i svenska på Komvux.",
            responsible=Responsible.OTHER_ACTOR,
            actor=actors["Komvux"],
            **_ended_dates(start, 4),
        )
        measure_end(
            user=user,
            measure=measure,
            version=measure.version,
            ended_on=ended_on,
            end_reason="Kursen är genomförd.",
            evaluation_result=EvaluationResult.ACHIEVED,
            evaluation="Klarade kursen och har sökt fordonsutbildningen.",
        )
        return
    if state == "declined":
        # Roughly a quarter decline the first measure offered (docs/domain.md, "Demo proportions").
        measure = plan_measure_add(
            user=user,
            enrolment=enrolment,
            type=MeasureType.INTERNSHIP,
            description="Praktik på en bilverkstad.",
            responsible=Responsible.YOUTH,
            **_ended_dates(start, 6),
        )
        measure = measure_update(
            user=user, measure=measure, version=measure.version, follow_up_note="Kom inte."
        )
        measure_end(
            user=user,
            measure=measure,
            version=measure.version,
            ended_on=ended_on,
            end_reason="Ungdomen tackade nej efter första veckan.",
            evaluation_result=EvaluationResult.NOT_ACHIEVED,
            evaluation="Praktiken kom för tidigt; nytt försök efter fler samtal.",
        )
        return
    raise ValueError(f"Unknown demo plan state {state}")


def _seed_past_measure(
    number: int, enrolment: Enrolment, user: User, actors: dict[str, Actor]
) -> bool:
    """A plan with one measure that ended while the (now ended) enrolment was active."""
    if enrolment.ended_on is None:
        return False
    start = enrolment.registered_on + datetime.timedelta(days=PAST_MEASURE_START_DAYS)
    ended_on = min(
        start + datetime.timedelta(weeks=PAST_MEASURE_WEEKS),
        enrolment.ended_on - datetime.timedelta(days=1),
    )
    if ended_on <= start:
        return False
    type_, responsible, actor, description = PAST_MEASURES[number % len(PAST_MEASURES)]
    _goal(enrolment, user)
    measure = plan_measure_add(
        user=user,
        enrolment=enrolment,
        type=type_,
        description=description,
        responsible=responsible,
        actor=actors[actor] if actor else None,
        **_ended_dates(start, PAST_MEASURE_WEEKS),
    )
    achieved = number % 3 != 2
    measure_end(
        user=user,
        measure=measure,
        version=measure.version,
        ended_on=ended_on,
        end_reason="Insatsen är genomförd." if achieved else "Ungdomen avbröt insatsen.",
        evaluation_result=EvaluationResult.ACHIEVED if achieved else EvaluationResult.PARTLY,
        evaluation="Följs upp efter 6 och 12 månader." if achieved else "Delvis genomförd.",
    )
    return True


def _conversations(municipality: Municipality) -> dict[int, datetime.date]:
    """Active enrolments' first conversation held (a reached meeting), when the contact demo ran."""
    days: dict[int, datetime.date] = {}
    for enrolment_id, day in (
        ContactAttempt.objects.filter(
            enrolment__municipality=municipality,
            enrolment__ended_on__isnull=True,
            channel__in=(Channel.MEETING, Channel.DIGITAL_MEETING),
            outcome=Outcome.REACHED,
        )
        .order_by("date")
        .values_list("enrolment_id", "date")
    ):
        days.setdefault(enrolment_id, day)
    return days


def _fitting_state(state: str, enrolment: Enrolment, today: datetime.date) -> str:
    """States with an ended measure need time since registration; newer ones get less."""
    days_registered = (today - enrolment.registered_on).days
    needs_time = state in ("complete_evaluated", "declined", "evaluation_overdue")
    if needs_time and days_registered < DAYS_NEEDED_TO_END:
        return "complete_ongoing"
    return state


def seed(
    municipality: Municipality,
    users: dict[str, User],
    *,
    today: datetime.date | None = None,
) -> str:
    today = today or timezone.localdate()
    staff = users.get("koordinator") or next(
        user for user in users.values() if user.municipality_id == municipality.pk
    )
    manager = users.get("chef") or staff
    counts: Counter[str] = Counter()
    with transaction.atomic():
        actors = _actors(municipality, manager)
        has_plan = set(
            Plan.objects.filter(enrolment__municipality=municipality).values_list(
                "enrolment_id", flat=True
            )
        ) | set(
            Mapping.objects.filter(enrolment__municipality=municipality).values_list(
                "enrolment_id", flat=True
            )
        )
        enrolments = (
            Enrolment.objects.filter(municipality=municipality, ended_on__isnull=True)
            .select_related("coordinator")
            .order_by("pk")
        )
        conversations = _conversations(municipality)
        cycle: tuple[str, ...] = STATE_CYCLE
        if conversations:
            # Not reached, or no conversation yet: nothing to map.
            enrolments = enrolments.filter(pk__in=conversations)
            cycle = CONVERSATION_CYCLE
        for index, enrolment in enumerate(enrolments):
            if enrolment.pk in has_plan:
                continue
            state = _fitting_state(cycle[index % len(cycle)], enrolment, today)
            _seed_state(
                state,
                enrolment,
                enrolment.coordinator or staff,
                actors,
                today,
                mapped_on=conversations.get(enrolment.pk),
            )
            if state != "empty":
                counts[state] += 1
        ended = (
            Enrolment.objects.filter(municipality=municipality, ended_on__isnull=False)
            .select_related("coordinator")
            .order_by("pk")
        )
        for index, enrolment in enumerate(ended):
            if index % PAST_MEASURE_EVERY or enrolment.pk in has_plan:
                continue
            if _seed_past_measure(index, enrolment, enrolment.coordinator or staff, actors):
                counts["past_measure"] += 1
    states = ", ".join(f"{state} {count}" for state, count in sorted(counts.items()))
    return f"{sum(counts.values())} kartläggningar/planer ({states or 'inga nya'}), {len(actors)} aktörer"
