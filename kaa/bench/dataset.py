"""A synthetic national data set for benchmarks and demos (docs/performance.md).

Follows the proportions of docs/domain.md ("Realistic proportions"): about 45 %
women, registrations over five years with more than twice as many in autumn as
in spring, one municipality far larger than the rest, about a sixth of the
young people active at once, contact attempts made by the contact routine's
own rules (``casework.routine``) with most steps on time and some late,
occupations (work the most common known one, many unknown), plans and
measures for about a fifth, deregistrations where turning 20 is the most
common reason and about half of the rest go on to studies. Every personnummer
is a test number (birth numbers 980-999, valid check digit). Names are drawn
from invented lists.

Everything is written with PostgreSQL COPY (``kaa.bench.copy``), history rows
included, in one transaction; RoutineState is computed with
``casework.routine.schedule`` from the same attempts, settings and occupations
the routine-state service reads, so it equals ``routine_state_refresh``.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from casework import routine
from casework.models import (
    Actor,
    ContactAttempt,
    Mapping,
    Measure,
    Plan,
    RoutineSettings,
    RoutineState,
)
from followup.ageing import add_years
from followup.models import RetentionPolicy
from registry.eligibility import twentieth_birthday
from registry.models import Enrolment, Guardian, Municipality, Occupation, Role, User, Youth
from registry.personnummer import synthetic
from reports.models import PopulationFigure

from .copy import TableWriter, next_id, reset_sequence

BENCH_PASSWORD = "bench-kaa-2026"  # noqa: S105 (synthetic accounts of a benchmark database)
BIG_CODE = "1480"
BIG_NAME = "Storstad"
# Göteborgsregionen's thirteen codes, with invented names: the regional installation.
REGION = [
    (BIG_CODE, BIG_NAME),
    ("1481", "Kvarnby"),
    ("1482", "Strandvik"),
    ("1484", "Bergslunda"),
    ("1489", "Älvstad"),
    ("1401", "Hamnö"),
    ("1402", "Skogsberga"),
    ("1407", "Klippsund"),
    ("1415", "Ängsås"),
    ("1419", "Tallmo"),
    ("1440", "Sjöhult"),
    ("1441", "Lerkärr"),
    ("1384", "Ådala"),
]
REGION_NAME = "Storstadsregionen"  # registry.Region of the REGION municipalities
OTHER_CODE_START = 5001  # beyond every real SCB code (the highest is 2584)
BIG_COORDINATORS = 15
CASES_PER_COORDINATOR = 400
ACTIVE_SHARE = 1 / 6  # 50,000 active of 300,000 over five years
YEARS = 5


@dataclass(frozen=True)
class Size:
    youths: int
    municipalities: int
    big_share: float  # the big municipality's part of all young people


SIZES = {
    "small": Size(youths=3_000, municipalities=5, big_share=0.4),
    "region": Size(youths=30_000, municipalities=13, big_share=0.4),
    # 6,000 of 50,000 active in the big one.
    "national": Size(youths=300_000, municipalities=290, big_share=0.12),
}

FIRST_NAMES_F = [
    "Alva",
    "Elsa",
    "Maja",
    "Vera",
    "Alice",
    "Selma",
    "Wilma",
    "Ella",
    "Astrid",
    "Saga",
    "Ebba",
    "Klara",
    "Signe",
    "Nova",
    "Tyra",
    "Stella",
    "Ines",
    "Lilly",
    "Freja",
    "Elvira",
    "Leah",
    "Iris",
    "Sigrid",
    "Julia",
    "Ellen",
    "Hedda",
    "Meja",
    "Tuva",
    "Sara",
    "Linnea",
]
FIRST_NAMES_M = [
    "Noah",
    "Hugo",
    "William",
    "Liam",
    "Lucas",
    "Oscar",
    "Elias",
    "Adam",
    "Alexander",
    "Oliver",
    "Charlie",
    "Vincent",
    "Nils",
    "Frans",
    "Ludvig",
    "Leo",
    "Elton",
    "Melvin",
    "Theo",
    "Gustav",
    "Axel",
    "Arvid",
    "Viktor",
    "Sixten",
    "Isak",
    "Harry",
    "Milo",
    "Emil",
    "Otto",
    "Ture",
]
LAST_NAMES = [
    "Almgren",
    "Berglöf",
    "Dahlkvist",
    "Ekstrand",
    "Fagerlund",
    "Granholm",
    "Hedvall",
    "Isaksson",
    "Jernberg",
    "Kullander",
    "Lindqvist",
    "Malmgren",
    "Nordvall",
    "Olsson",
    "Pettersson",
    "Rydberg",
    "Sandström",
    "Tallberg",
    "Ulfsson",
    "Vikström",
    "Wallin",
    "Åberg",
    "Öhman",
    "Bergkvist",
    "Carlström",
    "Dunér",
    "Enqvist",
    "Forsberg",
    "Gyllenram",
    "Holmlund",
    "Ivarsson",
    "Jonasson",
    "Kjellberg",
    "Lundgren",
    "Mårtensson",
    "Nyberg",
    "Ottosson",
    "Persdotter",
    "Qvist",
    "Rosén",
]
STREETS = [
    "Björkvägen",
    "Storgatan",
    "Ekbacken",
    "Parkgatan",
    "Skolgatan",
    "Ängsvägen",
    "Tallstigen",
    "Kvarngatan",
]

# (value, weight) tables.
SOURCES = [
    ("dropout_national_programme", 40),
    ("studiebevis", 15),
    ("never_started", 10),
    ("moved_in", 15),
    ("other", 20),
]
# Turning 20 the most common; of the rest about half go on to studies.
END_REASONS = [
    ("turned_20", 40),
    ("started_upper_secondary", 27),
    ("diploma", 3),
    ("moved_away", 15),
    ("emigrated", 2),
    ("deceased", 1),
    ("other", 12),
]
# Of the known occupations work is the most common, then none, then studies; many unknown.
OCCUPATIONS = [
    ("work", 30),
    ("none", 25),
    ("adult_education_full_time", 6),
    ("adult_education_part_time", 4),
    ("folk_high_school", 2),
    ("other_education", 3),
    ("internship", 5),
    ("labour_market_programme", 6),
    ("health", 4),
    ("abroad", 1),
    ("other", 4),
    ("unknown", 10),
]
MEASURE_TYPES = [
    ("motivational", 25),
    ("guidance", 20),
    ("internship", 15),
    ("adult_education", 10),
    ("folk_high_school", 4),
    ("social_services", 8),
    ("employment_service", 10),
    ("child_psychiatry", 3),
    ("other", 5),
]
REFERRALS = {
    "social_services": "Socialtjänsten",
    "employment_service": "Arbetsförmedlingen",
    "child_psychiatry": "BUP",
    "adult_education": "Vuxenutbildningen",
}
# Registrations per calendar month (relative): autumn more than twice spring.
MONTH_WEIGHT = {1: 7, 2: 5, 3: 4, 4: 4, 5: 5, 6: 8, 7: 3, 8: 17, 9: 22, 10: 19, 11: 14, 12: 8}
MAX_MONTH_WEIGHT = max(MONTH_WEIGHT.values())

# How a coordinator keeps to the routine, per enrolment: on time, within the
# tolerance, late. The rest of the late ones come from cases left unattended.
TIMELINESS = [(0, 60), (1, 18), (2, 22)]
UNATTENDED_SHARE = 0.08
UNASSIGNED_SHARE = 0.05
PROTECTED_SHARE = 0.005
PLAN_SHARE_ACTIVE = 0.4  # of those reached: about a fifth of all take part in a measure
PLAN_SHARE_ENDED = 0.25
FIRST_MEASURE_DECLINED = 0.25

# (channel choices, outcome choices) per step: ((value, weight), …).
STEP_ACTIONS: dict[str, tuple[list[tuple[str, int]], list[tuple[str, int]]]] = {
    routine.FIRST_CONTACT: (
        [("letter", 50), ("phone", 35), ("sms", 15)],
        [("reached", 45), ("not_reached", 55)],
    ),
    routine.SECOND_ATTEMPT: (
        [("phone", 60), ("letter", 40)],
        [("reached", 40), ("not_reached", 60)],
    ),
    routine.HOME_VISIT: (
        [("home_visit", 1)],
        [("reached", 45), ("info_sheet_left", 55)],
    ),
    routine.POST_VISIT_FOLLOWUP: (
        [("phone", 70), ("letter", 30)],
        [("reached", 35), ("not_reached", 65)],
    ),
    routine.PERIODIC_ATTEMPT: (
        [("letter", 50), ("phone", 50)],
        [("reached", 25), ("not_reached", 75)],
    ),
    routine.OFFER_CONVERSATION: (
        [("meeting", 70), ("digital_meeting", 30)],
        [("reached", 72), ("declined", 16), ("not_reached", 12)],
    ),
    routine.REGULAR_FOLLOWUP: (
        [("phone", 50), ("meeting", 40), ("digital_meeting", 10)],
        [("reached", 85), ("not_reached", 10), ("declined", 5)],
    ),
}
NOTES = (
    "",
    "",
    "",
    "Lämnade meddelande.",
    "Pratade om studier på komvux.",
    "Vill ha mer tid att tänka.",
    "Intresserad av praktik.",
)


def _picker(rng: random.Random, table: list[tuple[str, int]] | list[tuple[int, int]]) -> Callable:
    values = [value for value, _weight in table]
    cumulative = []
    total = 0
    for _value, weight in table:
        total += weight
        cumulative.append(total)

    def pick():
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick


@dataclass
class Figures:
    """What was built, printed at the end and checked by the tests."""

    municipalities: int = 0
    users: int = 0
    youths: int = 0
    enrolments: int = 0
    active: int = 0
    ended: int = 0
    attempts: int = 0
    occupations: int = 0
    plans: int = 0
    measures: int = 0
    history_rows: int = 0
    overdue_active: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


class Generator:
    def __init__(
        self,
        *,
        youths: int,
        municipalities: int,
        big_share: float,
        seed: int,
        today: datetime.date,
        log: Callable[[str], None] = print,
    ) -> None:
        if youths < municipalities * 10:
            raise ValueError("At least ten young people per municipality.")
        self.youths = youths
        self.municipality_count = municipalities
        self.big_share = big_share if municipalities > 1 else 1.0
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
        self.today = today
        self.log = log
        self.now = timezone.now()
        self.figures = Figures()
        self.days = routine.RoutineDays()
        rng = self.rng
        self.pick_source = _picker(rng, SOURCES)
        self.pick_end_reason = _picker(rng, END_REASONS)
        self.pick_occupation = _picker(rng, OCCUPATIONS)
        self.pick_measure = _picker(rng, MEASURE_TYPES)
        self.pick_timeliness = _picker(rng, TIMELINESS)
        self.step_pickers = {
            step: (_picker(rng, channels), _picker(rng, outcomes))
            for step, (channels, outcomes) in STEP_ACTIONS.items()
        }

    # ----------------------------------------------------------------- driver

    def run(self) -> Figures:
        started = time.perf_counter()
        with transaction.atomic():
            self._build()
            self._refresh_unknown_state_fields()
            phase = time.perf_counter()
            for model in LOADED_MODELS:
                reset_sequence(model)
            # After the sequences: written through the services (a handful of rows).
            self._region()
        # The deferred foreign keys are checked at the commit.
        self.figures.timings["sequences_and_commit"] = time.perf_counter() - phase
        self.figures.timings["total_load"] = time.perf_counter() - started
        return self.figures

    def _refresh_unknown_state_fields(self) -> None:
        """RoutineState written here holds what ``routine.schedule`` gives. If the model has
        gained fields this module does not fill, the service's own refresh computes them."""
        known = {*self.writers[RoutineState].given, "computed_at"}
        extra = [f.attname for f in RoutineState._meta.concrete_fields if f.attname not in known]
        if not extra:
            return
        from casework.services.routine_state import routine_state_refresh

        started = time.perf_counter()
        self.log(f"  RoutineState har fälten {extra}: räknar om med routine_state_refresh …")
        routine_state_refresh(today=self.today)
        self._timed("routine_state_refresh", started)

    def _region(self) -> None:
        """The regional installation's region (the first 13 municipalities) and its analyst."""
        from registry.services import region_ensure, user_ensure
        from registry.system import system_user

        codes = [code for code, _name in REGION[: self.municipality_count]]
        region_ensure(name=REGION_NAME, municipality_codes=codes, acting_user=system_user)
        user_ensure(
            username="bench_analyst",
            role=Role.REGIONAL_ANALYST,
            municipality_code=None,
            region_name=REGION_NAME,
            password=BENCH_PASSWORD,
            first_name="Regional",
            last_name="Analytiker",
            acting_user=system_user,
        )
        self.figures.users += 1

    def _timed(self, name: str, started: float) -> float:
        now = time.perf_counter()
        self.figures.timings[name] = self.figures.timings.get(name, 0.0) + now - started
        return now

    def _build(self) -> None:
        from registry.system import system_user

        t = time.perf_counter()
        self.system_user_id = system_user().pk
        self.writers = self._writers()
        self.ids = {model: next_id(model) for model in LOADED_MODELS}
        municipalities = self._municipalities()
        t = self._timed("municipalities_and_users", t)
        self.log(f"  {len(municipalities)} kommuner och {self.figures.users} användare")
        for index, (municipality_id, code, count, coordinators) in enumerate(municipalities):
            self._municipality_people(municipality_id, code, count, coordinators)
            t = self._timed("simulate", t)
            if self._pending() > 400_000 or index == len(municipalities) - 1:
                self._flush()
                t = self._timed("copy", t)
                self.log(
                    f"  {index + 1}/{len(municipalities)} kommuner, "
                    f"{self.figures.youths} ungdomar, {self.figures.attempts} kontaktförsök"
                )

    def _writers(self) -> dict[type, TableWriter]:
        now = self.now
        return {
            Municipality: TableWriter(Municipality, ["id", "code", "name"], now),
            User: TableWriter(
                User,
                [
                    "id",
                    "password",
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "is_active",
                    "role",
                    "municipality_id",
                    "date_joined",
                ],
                now,
            ),
            RoutineSettings: TableWriter(RoutineSettings, ["id", "municipality_id"], now),
            RetentionPolicy: TableWriter(RetentionPolicy, ["id", "municipality_id"], now),
            PopulationFigure: TableWriter(
                PopulationFigure, ["id", "municipality_id", "as_of", "count"], now
            ),
            Actor: TableWriter(Actor, ["id", "municipality_id", "name"], now),
            Youth: TableWriter(
                Youth,
                [
                    "id",
                    "municipality_id",
                    "personnummer",
                    "birth_date",
                    "first_name",
                    "last_name",
                    "street",
                    "postal_code",
                    "city",
                    "phone",
                    "email",
                    "protected_identity",
                    "created_at",
                ],
                now,
            ),
            Guardian: TableWriter(Guardian, ["id", "youth_id", "name", "phone"], now),
            Enrolment: TableWriter(
                Enrolment,
                [
                    "id",
                    "municipality_id",
                    "youth_id",
                    "registered_on",
                    "source",
                    "school",
                    "coordinator_id",
                    "ended_on",
                    "end_reason",
                    "end_reason_text",
                    "created_at",
                ],
                now,
            ),
            Occupation: TableWriter(
                Occupation,
                [
                    "id",
                    "enrolment_id",
                    "from_date",
                    "kind",
                    "extent_percent",
                    "recorded_by_id",
                    "created_at",
                ],
                now,
            ),
            ContactAttempt: TableWriter(
                ContactAttempt,
                [
                    "id",
                    "enrolment_id",
                    "date",
                    "channel",
                    "party",
                    "outcome",
                    "note",
                    "staff",
                    "recorded_by_id",
                    "created_at",
                ],
                now,
            ),
            RoutineState: TableWriter(
                RoutineState,
                [
                    "enrolment_id",
                    "contact_established_on",
                    "first_attempt_on",
                    "next_step",
                    "next_due",
                    "overdue_after",
                    "deviations",
                    "no_attempt_deviation_after",
                    "home_visit_on",
                    "attempt_count",
                    # The worklist's copies of the enrolment and its young person.
                    "municipality_id",
                    "coordinator_id",
                    "protected_identity",
                ],
                now,
            ),
            Mapping: TableWriter(
                Mapping,
                ["id", "enrolment_id", "date", "situation", "interests", "needs", "own_goal"],
                now,
            ),
            Plan: TableWriter(Plan, ["id", "enrolment_id", "goal", "planning"], now),
            Measure: TableWriter(
                Measure,
                [
                    "id",
                    "plan_id",
                    "type",
                    "description",
                    "responsible",
                    "actor_id",
                    "starts_on",
                    "ends_on",
                    "follow_up_on",
                    "evaluate_on",
                    "ended_on",
                    "end_reason",
                    "evaluation_result",
                    "evaluation",
                    "followed_up_at",
                    "created_at",
                ],
                now,
            ),
        }

    def _pending(self) -> int:
        return sum(writer.pending for writer in self.writers.values())

    def _flush(self) -> None:
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor  # the psycopg cursor, for COPY
            for writer in self.writers.values():
                _rows, history_rows = writer.flush(cursor)
                self.figures.history_rows += history_rows

    def _next(self, model: type) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    @staticmethod
    def _at(day: datetime.date, hour: int = 8) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)

    # ------------------------------------------------- municipalities, users

    def _municipalities(self) -> list[tuple[int, str, int, list[int]]]:
        count = self.municipality_count
        named = REGION[:count]
        others = [
            (f"{OTHER_CODE_START + n:04d}", f"Bänkkommun {n + 1}")
            for n in range(count - len(named))
        ]
        places = named + others
        # The big one first; the rest share what is left, a few larger and many small.
        weights = [1 / (rank**0.9) for rank in range(1, count)]
        scale = (1 - self.big_share) / sum(weights) if weights else 0
        shares = [self.big_share] + [weight * scale for weight in weights]
        counts = [max(10, round(self.youths * share)) for share in shares]
        counts[0] += self.youths - sum(counts)
        password = make_password(BENCH_PASSWORD)  # one hash: hashing per user would take minutes
        result = []
        writers = self.writers
        for index, ((code, name), youths) in enumerate(zip(places, counts, strict=True)):
            municipality_id = self._next(Municipality)
            writers[Municipality].add(
                (municipality_id, code, name), at=self.now, by=self.system_user_id
            )
            writers[RoutineSettings].add(
                (self._next(RoutineSettings), municipality_id), at=self.now, by=self.system_user_id
            )
            writers[RetentionPolicy].add(
                (self._next(RetentionPolicy), municipality_id), at=self.now, by=self.system_user_id
            )
            # Residents aged 16-19: KAA holds about 6 % of them at once.
            population = max(100, round(youths * ACTIVE_SHARE / 0.06))
            writers[PopulationFigure].add(
                (
                    self._next(PopulationFigure),
                    municipality_id,
                    datetime.date(self.today.year, 1, 1),
                    population,
                ),
                at=self.now,
                by=self.system_user_id,
            )
            for actor in REFERRALS.values():
                writers[Actor].add(
                    (self._next(Actor), municipality_id, actor), at=self.now, by=None
                )
            self.actor_ids = getattr(self, "actor_ids", {})
            first_actor = self.ids[Actor] - len(REFERRALS)
            self.actor_ids[municipality_id] = {
                kind: first_actor + n for n, kind in enumerate(REFERRALS)
            }
            active = round(youths * ACTIVE_SHARE)
            if index == 0:
                prefix, coordinators = "bench_", BIG_COORDINATORS
            else:
                prefix = f"bench_{code}_"
                coordinators = max(1, min(BIG_COORDINATORS, round(active / CASES_PER_COORDINATOR)))
            coordinator_ids = []
            for n in range(coordinators):
                suffix = "" if n == 0 else str(n + 1)
                coordinator_ids.append(
                    self._user(
                        password, f"{prefix}coordinator{suffix}", Role.COORDINATOR, municipality_id
                    )
                )
            self._user(password, f"{prefix}manager", Role.MANAGER, municipality_id)
            self._user(password, f"{prefix}secretary", Role.BOARD_SECRETARY, municipality_id)
            result.append((municipality_id, code, youths, coordinator_ids))
        self.figures.municipalities = len(result)
        return result

    def _user(self, password: str, username: str, role: str, municipality_id: int) -> int:
        user_id = self._next(User)
        first = self.rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)
        last = self.rng.choice(LAST_NAMES)
        self.writers[User].add(
            (
                user_id,
                password,
                username,
                first,
                last,
                f"{username}@example.invalid",
                True,
                role,
                municipality_id,
                self.now,
            ),
            at=self.now,
            by=self.system_user_id,
        )
        self.figures.users += 1
        return user_id

    # ------------------------------------------------------------ the people

    def _registration_day(self, earliest: datetime.date, latest: datetime.date) -> datetime.date:
        """A day in [earliest, latest], more often in autumn (MONTH_WEIGHT)."""
        span = (latest - earliest).days
        rng = self.rng
        while True:
            day = earliest + datetime.timedelta(days=rng.randint(0, span))
            if rng.random() * MAX_MONTH_WEIGHT < MONTH_WEIGHT[day.month]:
                return day

    def _municipality_people(
        self, municipality_id: int, code: str, count: int, coordinators: list[int]
    ) -> None:
        rng = self.rng
        today = self.today
        active_count = round(count * ACTIVE_SHARE)
        serials: dict[datetime.date, int] = {}
        five_years_ago = add_years(today, -YEARS)
        for index in range(count):
            active = index < active_count
            if active:
                # Most active enrolments are recent; a few have lasted up to two years.
                while True:
                    ago = int(rng.expovariate(1 / 160))
                    if ago <= 730:
                        break
                registered_on = self._recent_day(ago)
                ended_on, reason = None, ""
                birth = self._birth(registered_on, must_be_under_20_on=today)
            else:
                registered_on = self._registration_day(
                    five_years_ago, today - datetime.timedelta(days=20)
                )
                reason = self.pick_end_reason()
                longest = min(1200, (today - registered_on).days - 1)
                if reason == "turned_20":
                    shortest = min(30, longest)
                    ended_on = registered_on + datetime.timedelta(
                        days=rng.randint(shortest, longest)
                    )
                    birth = add_years(ended_on, -20)
                    ended_on = twentieth_birthday(birth)
                    if ended_on >= today:
                        ended_on = today - datetime.timedelta(days=1)
                        birth = add_years(ended_on, -20)
                else:
                    length = min(longest, 14 + int(rng.expovariate(1 / 220)))
                    ended_on = registered_on + datetime.timedelta(days=length)
                    birth = self._birth(registered_on, must_be_under_20_on=ended_on)
            taken = serials.get(birth, 0)
            while taken >= 20:  # twenty test numbers per birth date and municipality
                birth -= datetime.timedelta(days=1)
                taken = serials.get(birth, 0)
            serials[birth] = taken + 1
            self._person(
                municipality_id,
                code,
                coordinators,
                birth=birth,
                serial=taken,
                registered_on=registered_on,
                ended_on=ended_on,
                reason=reason,
            )

    def _recent_day(self, ago: int) -> datetime.date:
        """About ``ago`` days back, moved to a nearby day with the autumn weighting."""
        latest = self.today
        earliest = self.today - datetime.timedelta(days=max(ago, 1))
        window_start = max(
            earliest - datetime.timedelta(days=30), self.today - datetime.timedelta(days=730)
        )
        window_end = min(earliest + datetime.timedelta(days=30), latest)
        return self._registration_day(window_start, window_end)

    def _birth(
        self, registered_on: datetime.date, *, must_be_under_20_on: datetime.date
    ) -> datetime.date:
        """16-19 on the registration day (mostly 16-17), still under 20 on the given day."""
        youngest = add_years(registered_on, -16)
        oldest = add_years(must_be_under_20_on, -20) + datetime.timedelta(days=1)
        span = (youngest - oldest).days
        if span <= 0:
            return youngest
        return youngest - datetime.timedelta(days=int(span * self.rng.random() ** 1.8))

    def _person(
        self,
        municipality_id: int,
        code: str,
        coordinators: list[int],
        *,
        birth: datetime.date,
        serial: int,
        registered_on: datetime.date,
        ended_on: datetime.date | None,
        reason: str,
    ) -> None:
        rng = self.rng
        writers = self.writers
        figures = self.figures
        woman = rng.random() < 0.45
        first = rng.choice(FIRST_NAMES_F if woman else FIRST_NAMES_M)
        last = rng.choice(LAST_NAMES)
        youth_id = self._next(Youth)
        active = ended_on is None
        unassigned = active and rng.random() < UNASSIGNED_SHARE
        coordinator = None if unassigned else rng.choice(coordinators)
        actor = coordinator or self.system_user_id
        created = self._at(registered_on)
        number = synthetic(birth, serial)
        # Drawn in this order so a seed gives the same data set as before.
        street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
        postal_code = f"{rng.randint(100, 989)} {rng.randint(10, 99)}"
        phone = f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        protected = rng.random() < PROTECTED_SHARE
        writers[Youth].add(
            (
                youth_id,
                municipality_id,
                number,
                birth,
                first,
                last,
                street,
                postal_code,
                f"Ort {code}",
                phone,
                f"{first.lower()}.{youth_id}@example.invalid",
                protected,
                created,
            ),
            at=created,
            by=actor,
        )
        figures.youths += 1
        under_18_at_registration = add_years(birth, 18) > registered_on
        if under_18_at_registration:
            writers[Guardian].add(
                (
                    self._next(Guardian),
                    youth_id,
                    f"{rng.choice(FIRST_NAMES_F)} {last}",
                    f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                ),
                at=created,
                by=actor,
            )

        enrolment_id = self._next(Enrolment)
        source = self.pick_source()
        school = f"Gymnasiet {code}-{rng.randint(1, 4)}" if source != "moved_in" else ""
        opened = (
            enrolment_id,
            municipality_id,
            youth_id,
            registered_on,
            source,
            school,
            coordinator,
            None,
            "",
            "",
            created,
        )
        figures.enrolments += 1
        if active:
            writers[Enrolment].add(opened, at=created, by=actor)
            figures.active += 1
        else:
            assert ended_on is not None
            text = "Annan orsak (syntetiska data)." if reason == "other" else ""
            closed = (*opened[:7], ended_on, reason, text, created)
            writers[Enrolment].add(closed, at=created, by=actor, created_as=opened)
            writers[Enrolment].add_change(closed, at=self._at(ended_on, 12), by=actor)
            figures.ended += 1

        attempts = self._attempts(registered_on, ended_on, birth)
        recorder = coordinator or rng.choice(coordinators)
        for attempt in attempts:
            at = self._at(attempt.date, 10)
            party = "guardian" if under_18_at_registration and rng.random() < 0.15 else "youth"
            writers[ContactAttempt].add(
                (
                    self._next(ContactAttempt),
                    enrolment_id,
                    attempt.date,
                    attempt.channel,
                    party,
                    attempt.outcome,
                    rng.choice(NOTES),
                    "Två handläggare" if attempt.channel == "home_visit" else "",
                    recorder,
                    at,
                ),
                at=at,
                by=recorder,
            )
        figures.attempts += len(attempts)
        contact_on = next((a.date for a in attempts if a.outcome == "reached"), None)

        horizon = ended_on or self.today
        occupation_at_end = self._occupations(
            enrolment_id, registered_on, ended_on, reason, contact_on, horizon, recorder
        )
        # The plan (with its mapping) first: the mapping's date closes the conversation
        # step in the routine, so the stored state reads it as the service does.
        mapped_on = None
        if contact_on is not None:
            share = PLAN_SHARE_ACTIVE if active else PLAN_SHARE_ENDED
            if rng.random() < share:
                mapped_on = self._plan(
                    enrolment_id, municipality_id, contact_on, horizon, ended_on, recorder
                )
        schedule = routine.schedule(
            registered_on=registered_on,
            ended_on=ended_on,
            attempts=attempts,
            days=self.days,
            as_of=self.today,
            occupation_at_end=occupation_at_end,
            mapped_on=mapped_on,
        )
        writers[RoutineState].add(
            (
                enrolment_id,
                schedule.contact_established_on,
                schedule.first_attempt_on,
                schedule.next_step or "",
                schedule.next_due,
                schedule.overdue_after,
                schedule.deviations,
                schedule.no_attempt_deviation_after,
                schedule.home_visit_on,
                schedule.attempt_count,
                municipality_id,
                coordinator,
                protected,
            )
        )
        if active and schedule.overdue_after is not None and schedule.overdue_after < self.today:
            figures.overdue_active += 1

    # ---------------------------------------------------- the contact routine

    def _attempts(
        self, registered_on: datetime.date, ended_on: datetime.date | None, birth: datetime.date
    ) -> list[routine.Attempt]:
        """The attempts a coordinator made, step by step as ``casework.routine`` asks."""
        rng = self.rng
        if ended_on is None:
            cap = rng.randint(0, 2) if rng.random() < UNATTENDED_SHARE else 40
            last_day = self.today
        else:
            # Older cases were documented on paper, if at all.
            documented = rng.randint(1, 3) if rng.random() < 0.35 else 0
            cap = 40 if (self.today - registered_on).days < 540 else documented
            last_day = ended_on - datetime.timedelta(days=1)
        timeliness = self.pick_timeliness()
        attempts: list[routine.Attempt] = []
        while len(attempts) < cap:
            plan = routine.schedule(
                registered_on=registered_on,
                ended_on=None,
                attempts=attempts,
                days=self.days,
                as_of=last_day,
            )
            if plan.next_step is None or plan.next_due is None:
                break
            if timeliness == 0:
                delay = -rng.randint(0, 6)
            elif timeliness == 1:
                delay = rng.randint(0, self.days.tolerance_days)
            else:
                delay = rng.randint(self.days.tolerance_days + 1, 60)
            day = plan.next_due + datetime.timedelta(days=delay)
            floor = attempts[-1].date if attempts else registered_on
            day = max(day, floor)
            if day > last_day:
                break
            pick_channel, pick_outcome = self.step_pickers[plan.next_step]
            attempts.append(routine.Attempt(day, pick_channel(), pick_outcome()))
        return attempts

    # ------------------------------------------------------------ occupations

    def _occupations(
        self,
        enrolment_id: int,
        registered_on: datetime.date,
        ended_on: datetime.date | None,
        reason: str,
        contact_on: datetime.date | None,
        horizon: datetime.date,
        recorder: int,
    ) -> str | None:
        """Occupation history; returns the kind recorded last on or before the end."""
        rng = self.rng
        rows: list[tuple[datetime.date, str]] = []
        if rng.random() < 0.62:
            rows.append((registered_on, self.pick_occupation()))
        if contact_on is not None and rng.random() < 0.35:
            day = contact_on + datetime.timedelta(days=rng.randint(10, 120))
            if day < horizon:
                rows.append((day, self.pick_occupation()))
        if ended_on is not None and rng.random() < 0.72:
            if reason in ("started_upper_secondary", "diploma"):
                kind = "other_education"
            elif reason in ("moved_away", "emigrated", "deceased"):
                kind = "unknown" if rng.random() < 0.5 else self.pick_occupation()
            else:
                kind = self.pick_occupation()
            day = max(registered_on, ended_on - datetime.timedelta(days=rng.randint(0, 30)))
            if rows and day < rows[-1][0]:
                day = rows[-1][0]
            rows.append((day, kind))
        writer = self.writers[Occupation]
        for day, kind in rows:
            at = self._at(day, 11)
            extent = 50 if kind == "adult_education_part_time" else 100
            writer.add(
                (self._next(Occupation), enrolment_id, day, kind, extent, recorder, at),
                at=at,
                by=recorder,
            )
        self.figures.occupations += len(rows)
        if ended_on is None:
            return None
        at_end = [kind for day, kind in rows if day <= ended_on]
        return at_end[-1] if at_end else None

    # ------------------------------------------------------- plans, measures

    def _plan(
        self,
        enrolment_id: int,
        municipality_id: int,
        contact_on: datetime.date,
        horizon: datetime.date,
        ended_on: datetime.date | None,
        recorder: int,
    ) -> datetime.date:
        rng = self.rng
        writers = self.writers
        mapped_on = min(contact_on + datetime.timedelta(days=rng.randint(7, 30)), horizon)
        at = self._at(mapped_on, 13)
        writers[Mapping].add(
            (
                self._next(Mapping),
                enrolment_id,
                mapped_on,
                "Har avbrutit gymnasiet och söker sysselsättning.",
                "Musik, idrott, bilar.",
                "Stöd att hitta rätt utbildning.",
                "Att börja arbeta eller plugga vidare.",
            ),
            at=at,
            by=recorder,
        )
        plan_id = self._next(Plan)
        writers[Plan].add(
            (plan_id, enrolment_id, "Komma i arbete eller studier.", "Möten varannan vecka."),
            at=at,
            by=recorder,
        )
        self.figures.plans += 1
        measures = rng.choices((1, 2, 3), weights=(50, 30, 20))[0]
        start = mapped_on + datetime.timedelta(days=rng.randint(7, 40))
        for n in range(measures):
            if start > horizon:
                break
            kind = self.pick_measure()
            actor = self.actor_ids[municipality_id].get(kind)
            responsible = "other_actor" if actor else rng.choice(("municipality", "youth"))
            length = rng.randint(30, 180)
            ends_on = start + datetime.timedelta(days=length)
            follow_up_on = start + datetime.timedelta(days=30)
            ended, end_reason, result, evaluation, followed_up = None, "", "", "", None
            if n == 0 and rng.random() < FIRST_MEASURE_DECLINED:
                ended, end_reason = start, "Ungdomen tackade nej till insatsen."
            else:
                if follow_up_on <= horizon and rng.random() < 0.8:
                    followed_up = follow_up_on + datetime.timedelta(days=rng.randint(0, 10))
                    followed_up = min(followed_up, horizon)
                closes_on = ends_on if ended_on is None else min(ends_on, ended_on)
                if closes_on <= horizon and (ended_on is not None or ends_on < self.today):
                    ended = closes_on
                    result = rng.choice(("achieved", "partly", "not_achieved"))
                    evaluation = "Utvärderad tillsammans med ungdomen."
            at = self._at(start, 14)
            writers[Measure].add(
                (
                    self._next(Measure),
                    plan_id,
                    kind,
                    "Syntetisk insats.",
                    responsible,
                    actor,
                    start,
                    ends_on,
                    follow_up_on,
                    ends_on,
                    ended,
                    end_reason,
                    result,
                    evaluation,
                    followed_up,
                    at,
                ),
                at=at,
                by=recorder,
            )
            self.figures.measures += 1
            start = start + datetime.timedelta(days=rng.randint(20, 90))
        return mapped_on


LOADED_MODELS: list[type] = [
    Municipality,
    User,
    RoutineSettings,
    RetentionPolicy,
    PopulationFigure,
    Actor,
    Youth,
    Guardian,
    Enrolment,
    Occupation,
    ContactAttempt,
    Mapping,
    Plan,
    Measure,
]
