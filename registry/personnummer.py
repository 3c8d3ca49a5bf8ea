"""Swedish personal identity numbers (personnummer) and coordination numbers.

Pure Python, no Django. Accepts 10 or 12 digits, with or without ``-``/``+``
(``+`` marks someone 100 or older in the 10-digit form), checks the Luhn
digit and that the date is real; a samordningsnummer has day + 60. Stored
normalised as 12 digits.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

COORDINATION_DAY_OFFSET = 60
# Skatteverket's test numbers use the birth numbers 980-999, which are never
# given to real people; all synthetic data uses only these.
TEST_SERIAL_RANGE = range(980, 1000)

# ASCII only: "\d" would otherwise accept other scripts' digits.
_PATTERN = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$", re.ASCII)


class InvalidPersonnummer(ValueError):
    """Raised with a message in Swedish that a person can act on."""


@dataclass(frozen=True)
class Personnummer:
    digits: str  # 12 digits, YYYYMMDDNNNC
    birth_date: datetime.date
    is_coordination_number: bool

    @property
    def masked(self) -> str:
        return f"{self.digits[:8]}-XXXX"

    @property
    def formatted(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def parse(value: str, *, today: datetime.date | None = None) -> Personnummer:
    """Validate and normalise; raise InvalidPersonnummer with a clear message."""
    today = today or datetime.date.today()
    cleaned = (value or "").strip().replace(" ", "")
    match = _PATTERN.match(cleaned)
    if match is None:
        raise InvalidPersonnummer(
            "Personnumret ska ha 10 eller 12 siffror, till exempel ÅÅÅÅMMDD-NNNN."
        )
    century, short_date, separator, last_four = match.groups()
    if century is None:
        century = _infer_century(short_date, separator, today)
    elif separator == "+":
        raise InvalidPersonnummer("Plustecken används bara i den tiosiffriga formen.")
    digits = f"{century}{short_date}{last_four}"
    if luhn_check_digit(digits[2:11]) != int(digits[11]):
        raise InvalidPersonnummer("Kontrollsiffran stämmer inte. Kontrollera personnumret.")
    birth_date, is_coordination = _birth_date(digits)
    if birth_date > today:
        raise InvalidPersonnummer("Födelsedatumet i personnumret ligger i framtiden.")
    return Personnummer(
        digits=digits, birth_date=birth_date, is_coordination_number=is_coordination
    )


def normalise(value: str, *, today: datetime.date | None = None) -> str:
    return parse(value, today=today).digits


def is_valid(value: str, *, today: datetime.date | None = None) -> bool:
    try:
        parse(value, today=today)
    except InvalidPersonnummer:
        return False
    return True


def mask(digits: str) -> str:
    return f"{digits[:8]}-XXXX"


def _birth_date(digits: str) -> tuple[datetime.date, bool]:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    is_coordination = day > COORDINATION_DAY_OFFSET
    if is_coordination:
        day -= COORDINATION_DAY_OFFSET
    try:
        return datetime.date(year, month, day), is_coordination
    except ValueError:
        raise InvalidPersonnummer(
            "Datumet i personnumret finns inte. Kontrollera år, månad och dag."
        ) from None


def _infer_century(short_date: str, separator: str, today: datetime.date) -> str:
    """The 10-digit form: the latest century that is not in the future; '+' adds 100 years.

    A samordningsnummer's day (+60) is compared as the real day of the month.
    """
    two_digit_year, month, day = int(short_date[:2]), int(short_date[2:4]), int(short_date[4:6])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    year = today.year - (today.year - two_digit_year) % 100
    if year == today.year and (month, day) > (today.month, today.day):
        year -= 100
    if separator == "+":
        year -= 100
    return str(year)[:2]


def synthetic(birth_date: datetime.date, sequence: int, *, coordination: bool = False) -> str:
    """A valid 12-digit test number for synthetic data (birth numbers 980-999 only)."""
    serial = TEST_SERIAL_RANGE[sequence % len(TEST_SERIAL_RANGE)]
    day = birth_date.day + (COORDINATION_DAY_OFFSET if coordination else 0)
    first_eleven = f"{birth_date:%Y%m}{day:02d}{serial:03d}"
    return first_eleven + str(luhn_check_digit(first_eleven[2:]))
