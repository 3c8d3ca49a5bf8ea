"""Demo data for regions and moves (docs/domain.md, "Regions and moves").

A second municipality with a few synthetic young people, a region holding both
and a regional analyst; one young person has moved from the second municipality
to the demo municipality, so the demo's worklist shows a pending incoming move.
Idempotent: a second run adds nothing. Every name is invented.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from . import services
from .demo import DEMO_PASSWORD, FEMALE_NAMES, LAST_NAMES, MALE_NAMES, STREETS
from .models import EndReason, Municipality, OccupationKind, Role, Source, User, Youth
from .personnummer import synthetic
from .system import system_user

NEIGHBOUR_CODE = "9998"
NEIGHBOUR_NAME = "Grannkommunen"
REGION_NAME = "Demoregionen"
NEIGHBOUR_YOUTHS = 24
REGION_SEED = 20261201
REGION_USERS = (
    ("granne-chef", Role.MANAGER, "Nils", "Granne-Demo"),
    ("granne-koordinator", Role.COORDINATOR, "Noor", "Granne-Demo"),
)
ANALYST = ("region", "Rut", "Region-Demo")


def seed(municipality: Municipality, users: dict[str, User]) -> str:
    neighbour, _ = services.municipality_ensure(
        code=NEIGHBOUR_CODE, name=NEIGHBOUR_NAME, acting_user=system_user
    )
    staff = {}
    for username, role, first_name, last_name in REGION_USERS:
        staff[username], _ = services.user_ensure(
            username=username,
            role=role,
            municipality_code=NEIGHBOUR_CODE,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            acting_user=system_user,
        )
    services.region_ensure(
        name=REGION_NAME,
        municipality_codes=[municipality.code, NEIGHBOUR_CODE],
        acting_user=system_user,
    )
    username, first_name, last_name = ANALYST
    services.user_ensure(
        username=username,
        role=Role.REGIONAL_ANALYST,
        municipality_code=None,
        region_name=REGION_NAME,
        password=DEMO_PASSWORD,
        first_name=first_name,
        last_name=last_name,
        acting_user=system_user,
    )
    summary = (
        f"{NEIGHBOUR_NAME} ({NEIGHBOUR_CODE}) och {REGION_NAME}; logga in som "
        f"{username} (regional analytiker) eller granne-chef"
    )
    if Youth.objects.filter(municipality=neighbour).exists():
        return summary
    _seed_neighbour(neighbour, municipality, staff["granne-koordinator"])
    return summary + "; en inflyttad att registrera i " + municipality.name


def _seed_neighbour(neighbour: Municipality, demo: Municipality, coordinator: User) -> None:
    rng = random.Random(REGION_SEED)  # noqa: S311 (synthetic demo data, not security)
    today = timezone.localdate()
    enrolments = []
    used: set[str] = set()
    for index in range(NEIGHBOUR_YOUTHS):
        registered_on = today - datetime.timedelta(days=rng.randrange(20, 300))
        birth = registered_on - datetime.timedelta(days=rng.randrange(16 * 366, 19 * 365))
        first_name = rng.choice(FEMALE_NAMES + MALE_NAMES)
        sequence = index
        while synthetic(birth, sequence) in used:
            sequence += 1
        used.add(synthetic(birth, sequence))
        youth = services.youth_create(
            user=coordinator,
            municipality=neighbour,
            # Birth numbers 980-999 only: synthetic() keeps to them.
            personnummer=synthetic(birth, sequence),
            first_name=first_name,
            last_name=rng.choice(LAST_NAMES),
            street=f"{rng.choice(STREETS)} {rng.randrange(1, 60)}",
            postal_code=f"998 {rng.randrange(10, 99)}",
            city="Grannby",
        )
        enrolment = services.enrolment_register(
            user=coordinator,
            youth=youth,
            registered_on=registered_on,
            source=rng.choice(Source.values[:3]),
            coordinator=coordinator,
            today=today,
        )
        services.occupation_record(
            user=coordinator,
            enrolment=enrolment,
            from_date=registered_on,
            kind=rng.choice((OccupationKind.NONE, OccupationKind.WORK, OccupationKind.UNKNOWN)),
        )
        enrolments.append(enrolment)
    # The one who moved to the demo municipality: a pending incoming move there.
    moved = min(enrolments, key=lambda enrolment: enrolment.registered_on)
    services.enrolment_end(
        user=coordinator,
        enrolment=moved,
        ended_on=today - datetime.timedelta(days=3),
        reason=EndReason.MOVED_AWAY,
        moved_to=demo.code,
        today=today,
    )
