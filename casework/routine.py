"""The contact routine (docs/domain.md, "Contact routine"): pure, no ORM.

From the registration date, the attempts so far and the municipality's day
counts, ``evaluate`` answers on a given day (``as_of``) when contact was
established, the next step with its due date and whether it is overdue, and
the deviations from the routine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# Step codes (part of the API).
FIRST_CONTACT = "first_contact"
SECOND_ATTEMPT = "second_attempt"
HOME_VISIT = "home_visit"
POST_VISIT_FOLLOWUP = "post_visit_followup"
PERIODIC_ATTEMPT = "periodic_attempt"
OFFER_CONVERSATION = "offer_conversation"
REGULAR_FOLLOWUP = "regular_followup"
STEP_CODES = (
    FIRST_CONTACT,
    SECOND_ATTEMPT,
    HOME_VISIT,
    POST_VISIT_FOLLOWUP,
    PERIODIC_ATTEMPT,
    OFFER_CONVERSATION,
    REGULAR_FOLLOWUP,
)

# Deviation codes (part of the API), in the order they are reported.
FIRST_CONTACT_LATE = "first_contact_late"
NO_CONTACT_DOCUMENTED = "no_contact_documented"
HOME_VISIT_LATE = "home_visit_late"
STARTED_WITH_HOME_VISIT = "started_with_home_visit"
OCCUPATION_UNKNOWN_AT_END = "occupation_unknown_at_end"
DEVIATION_CODES = (
    FIRST_CONTACT_LATE,
    NO_CONTACT_DOCUMENTED,
    HOME_VISIT_LATE,
    STARTED_WITH_HOME_VISIT,
    OCCUPATION_UNKNOWN_AT_END,
)

# The code lists of a contact attempt: the one source of them. ContactAttempt's
# TextChoices add the Swedish labels to these codes and the API accepts exactly
# these (``tests/casework/test_codes.py`` fails when they disagree).
# How a contact attempt was made (ContactAttempt.channel).
CHANNEL_LETTER = "letter"
CHANNEL_PHONE = "phone"
CHANNEL_SMS = "sms"
CHANNEL_EMAIL = "email"
CHANNEL_HOME_VISIT = "home_visit"
CHANNEL_MEETING = "meeting"
CHANNEL_DIGITAL_MEETING = "digital_meeting"
CHANNELS = (
    CHANNEL_LETTER,
    CHANNEL_PHONE,
    CHANNEL_SMS,
    CHANNEL_EMAIL,
    CHANNEL_HOME_VISIT,
    CHANNEL_MEETING,
    CHANNEL_DIGITAL_MEETING,
)

# Whom the attempt was with (ContactAttempt.party).
PARTY_YOUTH = "youth"
PARTY_GUARDIAN = "guardian"
PARTY_SCHOOL = "school"
PARTY_AUTHORITY = "authority"
PARTY_OTHER = "other"
PARTIES = (PARTY_YOUTH, PARTY_GUARDIAN, PARTY_SCHOOL, PARTY_AUTHORITY, PARTY_OTHER)

# What came of it (ContactAttempt.outcome).
OUTCOME_REACHED = "reached"
OUTCOME_NOT_REACHED = "not_reached"
OUTCOME_INFO_SHEET_LEFT = "info_sheet_left"
OUTCOME_DECLINED = "declined"
OUTCOMES = (OUTCOME_REACHED, OUTCOME_NOT_REACHED, OUTCOME_INFO_SHEET_LEFT, OUTCOME_DECLINED)

CONVERSATION_CHANNELS = frozenset({CHANNEL_MEETING, CHANNEL_DIGITAL_MEETING})
# The occupation kind that counts as unknown at the end (registry OccupationKind.UNKNOWN).
OCCUPATION_UNKNOWN = "unknown"


@dataclass(frozen=True)
class RoutineDays:
    """The day counts of the routine; every one is a municipality setting."""

    first_contact_days: int = 7
    second_attempt_days: int = 30
    home_visit_days: int = 60
    post_visit_followup_days: int = 30
    periodic_attempt_days: int = 90
    offer_conversation_days: int = 14
    regular_followup_days: int = 90
    tolerance_days: int = 7

    @classmethod
    def from_settings(cls, routine_settings: Any) -> RoutineDays:
        """From a RoutineSettings row (or anything with the same attributes); None: defaults."""
        if routine_settings is None:
            return cls()
        return cls(**{name: getattr(routine_settings, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Attempt:
    date: date
    channel: str
    outcome: str


@dataclass(frozen=True)
class NextStep:
    code: str
    due: date
    overdue: bool
    # The last day the step is not yet overdue (due + tolerance); derived from
    # ``due``, so it takes no part in comparisons.
    overdue_after: date | None = field(default=None, compare=False)

    @property
    def overdue_since(self) -> date | None:
        """The first day the step is overdue."""
        return self.overdue_after + timedelta(days=1) if self.overdue_after else None


@dataclass(frozen=True)
class RoutineResult:
    contact_established_on: date | None
    next_step: NextStep | None
    deviations: list[str] = field(default_factory=list)
    # The facts the deviations are about, so that no caller recounts them:
    # the first counted attempt, the home visit of the ladder (the first one
    # made before contact was established, or the visit that established it)
    # and the number of attempts counted (dated on or before ``as_of``).
    first_attempt_on: date | None = None
    home_visit_on: date | None = None
    attempt_count: int = 0


@dataclass(frozen=True)
class Schedule:
    """The part of the answer that does not depend on the day asked about.

    Given the attempts up to a day, the next step, its due date and the last
    day it is not yet overdue are fixed (and so are the first attempt, the
    ladder's home visit and the number of attempts); so are the deviations, except the two
    that hold for an enrolment with no attempt once a day has passed
    (``no_attempt_deviation_after``). ``casework.services.routine_state``
    stores exactly this.
    """

    contact_established_on: date | None
    first_attempt_on: date | None
    next_step: str | None
    next_due: date | None
    overdue_after: date | None
    deviations: list[str]
    no_attempt_deviation_after: date | None
    home_visit_on: date | None = None
    attempt_count: int = 0

    def result(self, as_of: date) -> RoutineResult:
        """The answer on ``as_of`` (valid for a day no earlier than the attempts counted)."""
        next_step = None
        if self.next_step is not None:
            assert self.next_due is not None and self.overdue_after is not None
            next_step = NextStep(
                self.next_step, self.next_due, as_of > self.overdue_after, self.overdue_after
            )
        deviations = set(self.deviations)
        if self.no_attempt_deviation_after is not None and as_of > self.no_attempt_deviation_after:
            deviations |= {FIRST_CONTACT_LATE, NO_CONTACT_DOCUMENTED}
        return RoutineResult(
            contact_established_on=self.contact_established_on,
            next_step=next_step,
            deviations=[code for code in DEVIATION_CODES if code in deviations],
            first_attempt_on=self.first_attempt_on,
            home_visit_on=self.home_visit_on,
            attempt_count=self.attempt_count,
        )

    def contact_deviations_on(self, as_of: date) -> list[str] | None:
        """The deviations about the attempts as they stood on an earlier day ``as_of``.

        A schedule counts the attempts up to the day it was made; the attempts
        up to an earlier day are a prefix of those (they are sorted by date).
        So the first attempt, and with it ``first_contact_late`` and
        ``started_with_home_visit``, is the same once it was made by
        ``as_of``; the ladder's home visit is the same visit when it was made
        by ``as_of`` (if not, no home visit had been made by then at all).
        None when no attempt had been made by ``as_of``. Only the three
        attempt deviations are answered (``CONTACT_ATTEMPT_DEVIATIONS``);
        ``tests/casework/test_routine.py`` ties this to ``evaluate``.
        """
        if self.first_attempt_on is None or self.first_attempt_on > as_of:
            return None
        held = set(self.deviations)
        if self.home_visit_on is None or self.home_visit_on > as_of:
            held.discard(HOME_VISIT_LATE)
        return [code for code in CONTACT_ATTEMPT_DEVIATIONS if code in held]


# The deviations about the attempts made (not about their absence or the end).
CONTACT_ATTEMPT_DEVIATIONS = (FIRST_CONTACT_LATE, HOME_VISIT_LATE, STARTED_WITH_HOME_VISIT)


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def schedule(
    *,
    registered_on: date,
    ended_on: date | None,
    attempts: Iterable[Attempt],
    days: RoutineDays,
    as_of: date,
    occupation_at_end: str | None = None,
    mapped_on: date | None = None,
) -> Schedule:
    """The day-independent part of ``evaluate`` (see ``Schedule``)."""
    # Only attempts dated on or before the day asked about count; same-day
    # attempts keep the order they were given in (the services pass date, id).
    counted: Sequence[Attempt] = sorted(
        (a for a in attempts if a.date <= as_of), key=lambda a: a.date
    )
    ended = ended_on is not None and ended_on <= as_of
    tolerance = _days(days.tolerance_days)
    first_contact_due = registered_on + _days(days.first_contact_days)

    contact_index = next((i for i, a in enumerate(counted) if a.outcome == OUTCOME_REACHED), None)
    contact_on = counted[contact_index].date if contact_index is not None else None
    first = counted[0] if counted else None

    deviations: set[str] = set()
    no_attempt_deviation_after = None
    visit: Attempt | None = None
    if first is None:
        # No attempt yet: both deviations hold once as_of is past registration
        # + 7 + T (docs/domain.md, "The rules, exactly"), ended or not: the rule makes
        # no exception for an enrolment that ended before that day.
        no_attempt_deviation_after = first_contact_due + tolerance
    else:
        if first.date > first_contact_due + tolerance:
            deviations.add(FIRST_CONTACT_LATE)
        if first.channel == CHANNEL_HOME_VISIT:
            deviations.add(STARTED_WITH_HOME_VISIT)
        # The home visit the ladder asked for: the first one made before
        # contact was established (or the visit that established it).
        ladder = counted if contact_index is None else counted[: contact_index + 1]
        visit = next((a for a in ladder if a.channel == CHANNEL_HOME_VISIT), None)
        if visit is not None and visit.date > first.date + _days(days.home_visit_days) + tolerance:
            deviations.add(HOME_VISIT_LATE)
    if ended and occupation_at_end in (None, OCCUPATION_UNKNOWN):
        deviations.add(OCCUPATION_UNKNOWN_AT_END)

    # A dated mapping is the conversation held (counted from its date on).
    mapped = mapped_on if mapped_on is not None and mapped_on <= as_of else None
    step, due = (
        (None, None) if ended else _next_step(counted, contact_index, registered_on, days, mapped)
    )
    return Schedule(
        contact_established_on=contact_on,
        first_attempt_on=first.date if first else None,
        next_step=step,
        next_due=due,
        overdue_after=due + tolerance if due is not None else None,
        deviations=[code for code in DEVIATION_CODES if code in deviations],
        no_attempt_deviation_after=no_attempt_deviation_after,
        home_visit_on=visit.date if visit is not None else None,
        attempt_count=len(counted),
    )


def _next_step(
    counted: Sequence[Attempt],
    contact_index: int | None,
    registered_on: date,
    days: RoutineDays,
    mapped_on: date | None = None,
) -> tuple[str, date]:
    if not counted:
        return FIRST_CONTACT, registered_on + _days(days.first_contact_days)

    if contact_index is not None:
        contact = counted[contact_index]
        # The attempt that established contact counts towards the conversation;
        # so does a dated mapping (the conversation and mapping were held).
        conversation_held = mapped_on is not None or any(
            (a.channel in CONVERSATION_CHANNELS and a.outcome == OUTCOME_REACHED)
            or a.outcome == OUTCOME_DECLINED
            for a in counted[contact_index:]
        )
        if not conversation_held:
            return OFFER_CONVERSATION, contact.date + _days(days.offer_conversation_days)
        contacts = [a.date for a in counted if a.outcome in (OUTCOME_REACHED, OUTCOME_DECLINED)]
        latest = max([*contacts, *([mapped_on] if mapped_on is not None else [])])
        return REGULAR_FOLLOWUP, latest + _days(days.regular_followup_days)

    # Before contact the ladder counts from the first attempt, whatever its
    # channel; a step done early is done.
    first = counted[0]
    if len(counted) < 2:
        return SECOND_ATTEMPT, first.date + _days(days.second_attempt_days)
    visit_index = next((i for i, a in enumerate(counted) if a.channel == CHANNEL_HOME_VISIT), None)
    if visit_index is None:
        return HOME_VISIT, first.date + _days(days.home_visit_days)
    if visit_index == len(counted) - 1:
        return POST_VISIT_FOLLOWUP, counted[visit_index].date + _days(days.post_visit_followup_days)
    return PERIODIC_ATTEMPT, counted[-1].date + _days(days.periodic_attempt_days)


def evaluate(
    *,
    registered_on: date,
    ended_on: date | None,
    attempts: Iterable[Attempt],
    days: RoutineDays,
    as_of: date,
    occupation_at_end: str | None = None,
    mapped_on: date | None = None,
) -> RoutineResult:
    """What the routine says on ``as_of``.

    ``occupation_at_end`` is the kind of the latest occupation recorded when
    the enrolment ended (None: none recorded); it matters only once ended.
    ``mapped_on`` is the date of the documented mapping (None: not dated):
    once contact is established, a mapping dated on or before ``as_of`` closes
    the "offer conversation" step, and the regular follow-up counts from the
    latest of it and the contacts. Before contact is established it changes
    nothing (the ladder counts attempts only).
    """
    return schedule(
        registered_on=registered_on,
        ended_on=ended_on,
        attempts=attempts,
        days=days,
        as_of=as_of,
        occupation_at_end=occupation_at_end,
        mapped_on=mapped_on,
    ).result(as_of)


@dataclass(frozen=True)
class Facts:
    """Everything the routine reads of one enrolment.

    ``casework.selectors.routine_facts.routine_facts_for`` loads them for many
    enrolments at once; every caller of the routine starts from here.
    """

    registered_on: date
    ended_on: date | None
    attempts: tuple[Attempt, ...]
    days: RoutineDays
    occupation_at_end: str | None = None
    mapped_on: date | None = None

    def schedule(self, as_of: date) -> Schedule:
        return schedule(
            registered_on=self.registered_on,
            ended_on=self.ended_on,
            attempts=self.attempts,
            days=self.days,
            as_of=as_of,
            occupation_at_end=self.occupation_at_end,
            mapped_on=self.mapped_on,
        )

    def evaluate(self, as_of: date) -> RoutineResult:
        return self.schedule(as_of).result(as_of)
