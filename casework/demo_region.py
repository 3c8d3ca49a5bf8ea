"""Demo contact attempts for the demo region's second municipality (registry.demo_region).

Its young people are worked by its own coordinator along the same routine as
the demo municipality's (``casework.demo``), so the regional figures compare
two municipalities that both follow it. Idempotent like ``casework.demo``.
"""

from __future__ import annotations

from registry.demo_region import NEIGHBOUR_CODE
from registry.models import Municipality, User

from .demo import seed_attempts


def seed(municipality: Municipality, users: dict[str, User]) -> str:
    neighbour = Municipality.objects.filter(code=NEIGHBOUR_CODE).first()
    coordinator = User.objects.filter(username="granne-koordinator").first()
    if neighbour is None or coordinator is None:
        return "ingen grannkommun"
    return seed_attempts(neighbour, {"koordinator": coordinator})
