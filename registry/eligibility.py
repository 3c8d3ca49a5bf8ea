"""Who may be enrolled in the KAA register (Skollagen 29:9; docs/domain.md, "Registration").

Pure Python: no ORM. The rules, checked on the registration date:
- the young person is 16-19 years old (16 from the 16th birthday, no longer on
  the 20th birthday, when the municipality's responsibility ends);
- the registration date is not in the future;
- there is no active enrolment already;
- the young person is not an introduction-programme (IM) student: since
  1 July 2018 IM students are enrolled in upper-secondary school and are
  counted beside KAA, never inside it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

MINIMUM_AGE = 16
# Responsibility ends on the 20th birthday (Skollagen 29:9: "under 20").
AGE_LIMIT = 20

FIELD_REGISTERED_ON = "registered_on"
FIELD_YOUTH = "youth"


@dataclass(frozen=True)
class Refusal:
    field: str  # the form/API field the refusal belongs to
    message: str


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on ``day``. Someone born on 29 February has the birthday on 1 March
    in other years, as Swedish law counts it."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def birthday(birth_date: datetime.date, age: int) -> datetime.date:
    """The day a person turns ``age`` (29 February moves to 1 March in other years)."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return datetime.date(birth_date.year + age, 3, 1)


def twentieth_birthday(birth_date: datetime.date) -> datetime.date:
    """The day the municipality's activity responsibility ends by age."""
    return birthday(birth_date, AGE_LIMIT)


def refusals(
    *,
    birth_date: datetime.date,
    registered_on: datetime.date,
    today: datetime.date,
    has_active_enrolment: bool,
    is_im_student: bool,
) -> list[Refusal]:
    """Every reason the registration is refused, each with its field; empty when eligible."""
    found: list[Refusal] = []
    if registered_on > today:
        found.append(
            Refusal(
                FIELD_REGISTERED_ON,
                f"Inskrivningsdatumet {registered_on:%Y-%m-%d} ligger i framtiden. "
                "Ange dagens datum eller ett tidigare.",
            )
        )
    age = age_on(birth_date, registered_on)
    if age < MINIMUM_AGE:
        found.append(
            Refusal(
                FIELD_REGISTERED_ON,
                f"Ungdomen är {max(age, 0)} år på inskrivningsdatumet. Aktivitetsansvaret gäller "
                f"från 16 år; ungdomen fyller 16 den {birthday(birth_date, MINIMUM_AGE):%Y-%m-%d}.",
            )
        )
    elif age >= AGE_LIMIT:
        found.append(
            Refusal(
                FIELD_REGISTERED_ON,
                f"Ungdomen fyllde 20 år den {twentieth_birthday(birth_date):%Y-%m-%d} och "
                "omfattas inte av aktivitetsansvaret på inskrivningsdatumet.",
            )
        )
    if has_active_enrolment:
        found.append(
            Refusal(
                FIELD_YOUTH,
                "Ungdomen har redan en aktiv inskrivning. Avregistrera den innan en ny registreras.",
            )
        )
    if is_im_student:
        found.append(
            Refusal(
                FIELD_YOUTH,
                "Ungdomen är elev på introduktionsprogram (IM) och räknas bredvid aktivitetsansvaret, "
                "aldrig i det. Ta bort IM-markeringen först om eleven har lämnat programmet.",
            )
        )
    return found


def check(
    *,
    birth_date: datetime.date,
    registered_on: datetime.date,
    today: datetime.date,
    has_active_enrolment: bool,
    is_im_student: bool,
) -> list[str]:
    """Swedish refusal messages; an empty list when the young person may be enrolled."""
    return [
        refusal.message
        for refusal in refusals(
            birth_date=birth_date,
            registered_on=registered_on,
            today=today,
            has_active_enrolment=has_active_enrolment,
            is_im_student=is_im_student,
        )
    ]
