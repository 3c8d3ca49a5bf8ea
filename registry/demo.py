"""Synthetic demo data for the registry: the demo municipality and one user per role.

Every name here is invented; no personnummer belongs to a real person.
"""

from __future__ import annotations

from .models import Municipality, Role, User
from .services import municipality_ensure, user_ensure

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
    municipality, _ = municipality_ensure(code=DEMO_MUNICIPALITY_CODE, name=DEMO_MUNICIPALITY_NAME)
    users = {}
    for username, role, first_name, last_name in DEMO_USERS:
        user, _ = user_ensure(
            username=username,
            role=role,
            municipality_code=municipality.code,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
        users[username] = user
    return municipality, users


def seed(municipality: Municipality, users: dict[str, User]) -> str:
    """Hook for seed_demo; the registry's own young people are added by seed_youths."""
    return "användare och kommun"
