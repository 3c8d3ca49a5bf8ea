"""Sweden's 290 municipalities by SCB code (kommunkod), shipped as data in the repository.

Pure: read once from ``registry/data/municipalities.csv``; nothing from the ORM.
A move names the municipality moved to by its code (docs/domain.md, "Regions and moves").
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"


@cache
def municipalities() -> dict[str, str]:
    """Code → name, in code order."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def name_of(code: str) -> str | None:
    return municipalities().get(code)


def is_known(code: str) -> bool:
    return code in municipalities()


def label(code: str) -> str:
    """``"1480 Göteborg"``; a code not in the list is shown as it is."""
    name = name_of(code)
    return f"{code} {name}" if name else code
