"""Synthetic demo data for the registry: the demo municipality and one user per role.

Every name here is invented; no personnummer belongs to a real person.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from . import eligibility, services
from .models import EndReason, Municipality, OccupationKind, Role, Source, User, Youth
from .personnummer import synthetic
from .services import municipality_ensure, user_ensure
from .system import system_user

DEMO_MUNICIPALITY_CODE = "9999"
DEMO_MUNICIPALITY_NAME = "Demokommunen"
DEMO_PASSWORD = "demo-kaa-2026"  # noqa: S105 (synthetic demo only)

DEMO_USERS = (
    ("koordinator", Role.COORDINATOR, "Kim", "Koordinator"),
    ("koordinator2", Role.COORDINATOR, "Alex", "Andersson-Demo"),
    ("chef", Role.MANAGER, "Maria", "Chef-Demo"),
    ("sekreterare", Role.BOARD_SECRETARY, "Sam", "Sekreterare-Demo"),
    ("admin", Role.ADMIN, "Ada", "Admin-Demo"),
    ("skola", Role.SCHOOL, "Skol", "System"),
)


def seed_users() -> tuple[Municipality, dict[str, User]]:
    municipality, _ = municipality_ensure(
        code=DEMO_MUNICIPALITY_CODE, name=DEMO_MUNICIPALITY_NAME, acting_user=system_user
    )
    users = {}
    for username, role, first_name, last_name in DEMO_USERS:
        user, _ = user_ensure(
            acting_user=system_user,
            username=username,
            role=role,
            municipality_code=municipality.code,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
        users[username] = user
    return municipality, users


DEMO_YOUTHS = 300
DEMO_IM_STUDENTS = 12
DEMO_SEED = 20260901

FEMALE_NAMES = (
    "Alva",
    "Ebba",
    "Elsa",
    "Maja",
    "Wilma",
    "Saga",
    "Agnes",
    "Alice",
    "Nora",
    "Tilde",
    "Vera",
    "Signe",
    "Stella",
    "Ines",
    "Tuva",
    "Hedda",
    "Lova",
    "Amira",
    "Leyla",
    "Sanna",
)
MALE_NAMES = (
    "Elias",
    "Liam",
    "Noah",
    "Hugo",
    "Lucas",
    "Oscar",
    "Vincent",
    "Theo",
    "Adam",
    "Melvin",
    "Alfred",
    "Viggo",
    "Otto",
    "Sixten",
    "Ludvig",
    "Omar",
    "Yusuf",
    "Milo",
    "Kevin",
    "Nils",
)
LAST_NAMES = (
    "Lindqvist",
    "Bergström",
    "Åkesson",
    "Holmgren",
    "Sandberg",
    "Ekdahl",
    "Falk",
    "Lundin",
    "Norrby",
    "Sjöholm",
    "Wik",
    "Dahlgren",
    "Hedlund",
    "Forsell",
    "Strand",
    "Ström",
    "Blom",
    "Kaya",
    "Haddad",
    "Nyberg",
    "Engström",
    "Rask",
    "Tallberg",
    "Ahmadi",
    "Vikström",
)
STREETS = (
    "Björkvägen",
    "Storgatan",
    "Kvarngatan",
    "Lärkstigen",
    "Skolgatan",
    "Ängsvägen",
    "Tallbacken",
    "Järnvägsgatan",
    "Hagagatan",
    "Sjövägen",
)
SCHOOLS = ("Demogymnasiet", "Tekniska gymnasiet i Demostad", "Naturbruksgymnasiet", "")
SOURCES = (
    (Source.DROPOUT_NATIONAL_PROGRAMME, 45),
    (Source.STUDIEBEVIS, 20),
    (Source.NEVER_STARTED, 10),
    (Source.MOVED_IN, 15),
    (Source.OTHER, 10),
)
# docs/domain.md, "Demo proportions": of known occupations work ~30 %, no occupation ~25 %, studies ~15 %;
# many have occupation unknown.
OCCUPATIONS = (
    (OccupationKind.UNKNOWN, 30),
    (OccupationKind.WORK, 21),
    (OccupationKind.NONE, 17),
    (OccupationKind.ADULT_EDUCATION_PART_TIME, 4),
    (OccupationKind.ADULT_EDUCATION_FULL_TIME, 2),
    (OccupationKind.FOLK_HIGH_SCHOOL, 2),
    (OccupationKind.OTHER_EDUCATION, 2),
    (OccupationKind.INTERNSHIP, 7),
    (OccupationKind.LABOUR_MARKET_PROGRAMME, 6),
    (OccupationKind.HEALTH, 5),
    (OccupationKind.ABROAD, 2),
    (OccupationKind.OTHER, 2),
)
# The most common reason is turning 20 (set from the birthday); of the rest about half
# go on to studies.
OTHER_END_REASONS = (
    (EndReason.STARTED_UPPER_SECONDARY, 30),
    (EndReason.DIPLOMA, 18),
    (EndReason.MOVED_AWAY, 32),
    (EndReason.EMIGRATED, 8),
    (EndReason.OTHER, 12),
)
# PTS reserves 070-174 06 05 – 070-174 06 99 for fiction: never a real subscriber.
FICTION_PHONES = tuple(f"070-174 06 {n:02d}" for n in range(5, 100))


def _email(first_name: str, last_name: str) -> str:
    local = f"{first_name}.{last_name}".lower().translate(str.maketrans("åäöé", "aaoe"))
    return f"{local}@example.com"


def _pick(rng: random.Random, weighted: tuple) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


# Relative weight of a registration day per month: dropouts are notified from
# the start of the autumn term, so the second half-year brings more than twice
# the first registrations of the first (docs/domain.md, "Demo proportions").
MONTH_WEIGHTS = {1: 0.35, 2: 0.3, 3: 0.3, 4: 0.25, 5: 0.25, 6: 0.2, 7: 0.2}
MONTH_WEIGHTS |= {8: 0.9, 9: 1.0, 10: 0.9, 11: 0.7, 12: 0.45}


def _registration_day(rng: random.Random, today: datetime.date) -> datetime.date:
    """Over the last 18 months, with the autumn peak of registrations."""
    while True:
        day = today - datetime.timedelta(days=rng.randrange(0, 548))
        if rng.random() < MONTH_WEIGHTS[day.month]:
            return day


# An enrolment ends for another reason than turning 20 with this chance per
# year enrolled (started upper-secondary school, moved, ...): a young person
# stays in KAA for months, not years.
OTHER_END_PER_YEAR = 0.4


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return datetime.date(day.year - years, 2, 28)


def _birth_date(rng: random.Random, registered_on: datetime.date) -> datetime.date:
    """16–19 on the registration day, spread over the ages, a few more at 16–18 (dropouts)."""
    age = rng.choices((16, 17, 18, 19), weights=(25, 27, 26, 22))[0]
    return _years_before(registered_on, age) - datetime.timedelta(days=rng.randrange(0, 364))


def seed(municipality: Municipality, users: dict[str, User]) -> str:
    """About 300 synthetic young people; a second run adds nothing."""
    if Youth.objects.filter(municipality=municipality).exists():
        return "ungdomar finns redan"
    rng = random.Random(DEMO_SEED)  # noqa: S311 (synthetic demo data, not security)
    today = timezone.localdate()
    manager = users["chef"]
    coordinators = (users["koordinator"], users["koordinator2"], None)
    used_numbers: set[str] = set()
    counts = {"youths": 0, "ended": 0, "protected": 0, "im": 0}

    def new_youth(index: int, birth: datetime.date, **extra: object) -> Youth:
        # About 45 % women; the personnummer's ninth digit agrees (even for women).
        is_woman = rng.random() < 0.45
        sequence = index
        number = synthetic(birth, sequence)
        while number in used_numbers or int(number[10]) % 2 != (0 if is_woman else 1):
            sequence += 1
            number = synthetic(birth, sequence)
        used_numbers.add(number)
        first_name = rng.choice(FEMALE_NAMES if is_woman else MALE_NAMES)
        last_name = rng.choice(LAST_NAMES)
        has_phone = rng.random() < 0.4
        youth = services.youth_create(
            user=manager,
            municipality=municipality,
            personnummer=number,
            first_name=first_name,
            last_name=last_name,
            street=f"{rng.choice(STREETS)} {rng.randrange(1, 60)}",
            postal_code=f"999 {rng.randrange(10, 99)}",
            city="Demostad",
            phone=rng.choice(FICTION_PHONES) if has_phone else "",
            email=_email(first_name, last_name) if rng.random() < 0.3 else "",
            guardians=(
                [
                    services.GuardianData(
                        name=f"{rng.choice(FEMALE_NAMES + MALE_NAMES)} {last_name}",
                        phone=rng.choice(FICTION_PHONES),
                    )
                    for _ in range(rng.choice((1, 1, 2)))
                ]
                if eligibility.age_on(birth, today) < 18
                else []
            ),
            **extra,  # type: ignore[arg-type]
        )
        counts["youths"] += 1
        return youth

    for index in range(DEMO_YOUTHS):
        registered_on = _registration_day(rng, today)
        birth = _birth_date(rng, registered_on)
        protected = index % 75 == 3  # a few with protected identity
        coordinator = coordinators[index % 2]
        if protected and index > 200:
            coordinator = None  # only the managers see that this case exists
        elif not protected and rng.random() < 0.12:
            coordinator = None
        youth = new_youth(index, birth, protected_identity=protected)
        counts["protected"] += protected
        enrolment = services.enrolment_register(
            user=coordinator or manager,
            youth=youth,
            registered_on=registered_on,
            source=_pick(rng, SOURCES),
            school=rng.choice(SCHOOLS),
            coordinator=coordinator,
            today=today,
        )
        first_kind = _pick(rng, OCCUPATIONS)
        if rng.random() < 0.85:
            services.occupation_record(
                user=coordinator or manager,
                enrolment=enrolment,
                from_date=registered_on,
                kind=first_kind,
                extent_percent=50
                if first_kind == OccupationKind.ADULT_EDUCATION_PART_TIME
                else 100,
            )
        days_enrolled = (today - registered_on).days
        if days_enrolled > 60 and rng.random() < 0.3:
            later = registered_on + datetime.timedelta(days=rng.randrange(30, days_enrolled))
            kind = _pick(rng, OCCUPATIONS[1:])
            services.occupation_record(
                user=coordinator or manager,
                enrolment=enrolment,
                from_date=later,
                kind=kind,
                extent_percent=rng.choice((50, 75))
                if kind == OccupationKind.ADULT_EDUCATION_PART_TIME
                else 100,
            )
        turns_20 = eligibility.twentieth_birthday(birth)
        reason: str
        if turns_20 <= today:
            ended_on, reason = turns_20, EndReason.TURNED_20
        elif days_enrolled > 45 and rng.random() < OTHER_END_PER_YEAR * days_enrolled / 365:
            ended_on = registered_on + datetime.timedelta(days=rng.randrange(30, days_enrolled))
            reason = _pick(rng, OTHER_END_REASONS)
        else:
            continue
        services.enrolment_end(
            user=coordinator or manager,
            enrolment=enrolment,
            ended_on=ended_on,
            reason=reason,
            reason_text="Flyttat till en släkting i Norge" if reason == EndReason.OTHER else "",
            today=today,
        )
        counts["ended"] += 1

    # Introduction-programme students are counted beside KAA, never enrolled.
    for index in range(DEMO_IM_STUDENTS):
        birth = today - datetime.timedelta(days=rng.randrange(16 * 365 + 5, 18 * 365))
        new_youth(DEMO_YOUTHS + index, birth, is_im_student=True)
        counts["im"] += 1
    return (
        f"{counts['youths']} ungdomar ({counts['ended']} avregistrerade, "
        f"{counts['protected']} med skyddade personuppgifter, {counts['im']} IM-elever)"
    )
