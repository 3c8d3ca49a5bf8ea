"""The SCB half-year export (docs/domain.md, "The SCB file"): variables, pre-checks, the file and its diff.

Pure: plain facts per young person in, rows, problems and a diff out. The
column layout and the codes live in ``scb_layout.toml`` (read at runtime, so a
municipality can follow SCB's yearly changes without touching code). The
variables, per young person with an enrolment active some day of the half-year
(the latest such enrolment):

- registration_reason: the enrolment's source.
- occupation_at_registration: the occupation in force on the registration day
  (SCB category); unknown when none was recorded by then.
- first_measure / first_measure_start: the earliest measure of the plan that
  started by the half-year's end.
- declined: "yes" when the young person declined (a contact attempt with
  outcome ``declined``) by the half-year's end.
- occupation_after_measure: the occupation in force the day after the first
  measure ended; empty while it has not ended. It is the situation the effects
  rule (``casework.effects.situation_on``) reads for that day while the young
  person is enrolled, from the same occupation history and mapping.
- occupation_latest_contact: the occupation in force on the latest attempt that
  reached the young person (or was declined) by the half-year's end; unknown
  without contact.
- deregistered_on / deregistration_reason: when ended by the half-year's end.
"""

from __future__ import annotations

import csv
import datetime
import io
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from casework.effects import occupation_category_on, occupation_kind_on
from registry.eligibility import AGE_LIMIT, MINIMUM_AGE, age_on

DEFAULT_LAYOUT_PATH = Path(__file__).with_name("scb_layout.toml")
VARIABLES = (
    "municipality_code",
    "personnummer",
    "registered_on",
    "registration_reason",
    "occupation_at_registration",
    "first_measure",
    "first_measure_start",
    "declined",
    "occupation_after_measure",
    "occupation_latest_contact",
    "deregistered_on",
    "deregistration_reason",
)
DEFAULT_CODE = "_default"
UNKNOWN_OCCUPATION = "unknown"
UNKNOWN_KINDS = frozenset({"unknown"})
END_REASON_OTHER = "other"


class LayoutError(ValueError):
    """The layout file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Column:
    name: str
    variable: str
    codes: str = ""


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]
    codes: Mapping[str, Mapping[str, str]]
    delimiter: str = ";"
    date_format: str = "%Y%m%d"
    key: str = "PERSONNUMMER"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


def parse_layout(data: Mapping[str, Any]) -> Layout:
    """Build and check a layout from the TOML's data."""
    codes = {
        name: {str(k): str(v) for k, v in table.items()}
        for name, table in data.get("codes", {}).items()
    }
    columns = []
    for number, spec in enumerate(data.get("columns", []), start=1):
        column = Column(
            name=str(spec.get("name", "")),
            variable=str(spec.get("variable", "")),
            codes=str(spec.get("codes", "")),
        )
        if not column.name:
            raise LayoutError(f"Kolumn {number} saknar name.")
        if column.variable not in VARIABLES:
            raise LayoutError(f"Kolumn {column.name}: okänd variable '{column.variable}'.")
        if column.codes and column.codes not in codes:
            raise LayoutError(f"Kolumn {column.name}: kodtabellen '{column.codes}' finns inte.")
        columns.append(column)
    if not columns:
        raise LayoutError("Layouten har inga kolumner.")
    layout = Layout(
        columns=tuple(columns),
        codes=codes,
        delimiter=str(data.get("delimiter", ";")),
        date_format=str(data.get("date_format", "%Y%m%d")),
        key=str(data.get("key", columns[0].name)),
    )
    if layout.key not in layout.header:
        raise LayoutError(f"Nyckelkolumnen '{layout.key}' finns inte bland kolumnerna.")
    return layout


def layout_path() -> Path:
    """The layout file: settings.SCB_LAYOUT_PATH when the municipality keeps its own copy
    outside the code (e.g. beside its configuration), else the one shipped here."""
    return Path(getattr(settings, "SCB_LAYOUT_PATH", None) or DEFAULT_LAYOUT_PATH)


def load_layout(path: Path | str | None = None) -> Layout:
    """Read and check the layout; any fault is a LayoutError saying what to fix."""
    chosen = Path(path) if path else layout_path()
    try:
        with open(chosen, "rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError as error:
        # Only the file's name: the message is shown on a page, a server path is not.
        raise LayoutError(f"Filen {chosen.name} finns inte.") from error
    except tomllib.TOMLDecodeError as error:
        raise LayoutError(f"Filen {chosen.name} går inte att läsa: {error}.") from error
    return parse_layout(data)


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int  # 1: 1 January-30 June, 2: 1 July-31 December

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        return (
            datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)
        )

    @property
    def code(self) -> str:
        return f"{self.year}-{self.half}"

    @classmethod
    def parse(cls, code: str) -> HalfYear:
        year, half = code.split("-")
        if half not in ("1", "2"):
            raise ValueError(code)
        return cls(int(year), int(half))

    @classmethod
    def containing(cls, day: datetime.date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    def previous(self) -> HalfYear:
        return HalfYear(self.year, 1) if self.half == 2 else HalfYear(self.year - 1, 2)


@dataclass(frozen=True)
class MeasureFact:
    type: str
    starts_on: datetime.date | None
    ended_on: datetime.date | None


@dataclass(frozen=True)
class ScbFacts:
    """What the export needs of one young person's enrolment (plain values)."""

    youth_id: int
    enrolment_id: int
    personnummer: str
    birth_date: datetime.date
    is_im_student: bool
    registered_on: datetime.date
    source: str
    ended_on: datetime.date | None = None
    end_reason: str = ""
    end_reason_text: str = ""
    occupations: Sequence[tuple[datetime.date, str]] = field(default_factory=tuple)
    measures: Sequence[MeasureFact] = field(default_factory=tuple)
    declined_on: Sequence[datetime.date] = field(default_factory=tuple)
    contacts_on: Sequence[datetime.date] = field(default_factory=tuple)


# Which occupation is in force on a day, and its SCB category, is read exactly as the
# effects of measures read it (casework.effects): the file and the effects report
# use the same facts and cannot disagree.
occupation_on = occupation_kind_on


def variables(
    facts: ScbFacts,
    half_year: HalfYear,
    *,
    municipality_code: str,
    category_of: Mapping[str, str],
) -> dict[str, str | datetime.date | None]:
    """The SCB variables of one young person for the half-year (system values, not yet coded)."""
    end = half_year.end

    def category_on(day: datetime.date) -> str:
        return occupation_category_on(facts.occupations, day, category_of)

    # The earliest measure started by the half-year's end; an undated one only when no other.
    dated = sorted(
        (m.starts_on, index)
        for index, m in enumerate(facts.measures)
        if m.starts_on is not None and m.starts_on <= end
    )
    undated = [m for m in facts.measures if m.starts_on is None]
    first = facts.measures[dated[0][1]] if dated else (undated[0] if undated else None)
    after_measure = None
    if first is not None and first.ended_on is not None and first.ended_on <= end:
        after_measure = category_on(first.ended_on + datetime.timedelta(days=1))
    contacts = [day for day in facts.contacts_on if day <= end]
    latest_contact = max(contacts) if contacts else None
    ended = facts.ended_on is not None and facts.ended_on <= end
    return {
        "municipality_code": municipality_code,
        "personnummer": facts.personnummer,
        "registered_on": facts.registered_on,
        "registration_reason": facts.source,
        "occupation_at_registration": category_on(facts.registered_on),
        "first_measure": first.type if first else "",
        "first_measure_start": first.starts_on if first else None,
        "declined": "yes" if any(day <= end for day in facts.declined_on) else "no",
        "occupation_after_measure": after_measure or "",
        "occupation_latest_contact": (
            category_on(latest_contact) if latest_contact else UNKNOWN_OCCUPATION
        ),
        "deregistered_on": facts.ended_on if ended else None,
        "deregistration_reason": facts.end_reason if ended else "",
    }


@dataclass(frozen=True)
class Problem:
    """An inconsistency the pre-checks found; youth_id is None for a problem of the layout."""

    youth_id: int | None
    code: str
    message: str


def check(facts: ScbFacts, half_year: HalfYear) -> list[Problem]:
    """SCB's kind of logical checks between variables, for one young person."""
    problems: list[Problem] = []
    end = half_year.end

    def add(code: str, message: Any) -> None:
        problems.append(Problem(facts.youth_id, code, str(message)))

    if not facts.source:
        add("registration_reason_missing", _("Orsak till registrering saknas."))
    ended = facts.ended_on is not None and facts.ended_on <= end
    if ended:
        if not facts.end_reason:
            add("end_reason_missing", _("Avregistrerad utan orsak till avregistrering."))
        elif facts.end_reason == END_REASON_OTHER and not facts.end_reason_text.strip():
            add("end_reason_missing", _("Orsaken ”annan” saknar beskrivning."))
        kind = occupation_on(facts.occupations, facts.ended_on)  # type: ignore[arg-type]
        if kind is None or kind in UNKNOWN_KINDS:
            add("occupation_unknown_at_end", _("Sysselsättningen var okänd vid avregistreringen."))
    if facts.is_im_student:
        add("im_student", _("Inskriven trots att ungdomen är elev på introduktionsprogram (IM)."))
    age = age_on(facts.birth_date, facts.registered_on)
    if not MINIMUM_AGE <= age < AGE_LIMIT:
        add("age_outside", _("Ålder %(age)s vid registreringen, utanför 16–19 år.") % {"age": age})
    elif not ended and age_on(facts.birth_date, end) >= AGE_LIMIT:
        add("turned_20_active", _("Har fyllt 20 år men är fortfarande inskriven."))
    if any(m.starts_on is None for m in facts.measures):
        add("measure_start_missing", _("En insats saknar startdatum."))
    return problems


def code_row(
    values: Mapping[str, str | datetime.date | None], layout: Layout
) -> tuple[list[str], list[tuple[str, str]]]:
    """The file's cells for one young person, and (column, value) pairs that have no code."""
    cells: list[str] = []
    uncoded: list[tuple[str, str]] = []
    for column in layout.columns:
        value = values[column.variable]
        if value is None or value == "":
            cells.append("")
        elif isinstance(value, datetime.date):
            cells.append(value.strftime(layout.date_format))
        elif column.codes:
            table = layout.codes[column.codes]
            code = table.get(str(value), table.get(DEFAULT_CODE))
            if code is None:
                uncoded.append((column.name, str(value)))
                code = ""
            cells.append(code)
        else:
            cells.append(str(value))
    return cells, uncoded


@dataclass(frozen=True)
class ScbFile:
    content: str
    row_count: int
    problems: list[Problem]
    youth_ids: list[int] = field(default_factory=list)  # whose records the file holds


def build_file(
    all_facts: Iterable[ScbFacts],
    half_year: HalfYear,
    *,
    layout: Layout,
    municipality_code: str,
    category_of: Mapping[str, str],
) -> ScbFile:
    """The file's text (header and a row per young person, sorted by the key) and every problem."""
    problems: list[Problem] = []
    rows: list[list[str]] = []
    missing_codes: set[tuple[str, str]] = set()
    youth_ids: list[int] = []
    for facts in all_facts:
        youth_ids.append(facts.youth_id)
        problems.extend(check(facts, half_year))
        cells, uncoded = code_row(
            variables(
                facts, half_year, municipality_code=municipality_code, category_of=category_of
            ),
            layout,
        )
        missing_codes.update(uncoded)
        rows.append(cells)
    for column, value in sorted(missing_codes):
        problems.append(
            Problem(
                None,
                "code_missing",
                str(
                    _("Kolumn %(column)s: värdet ”%(value)s” saknar kod i kodförteckningen.")
                    % {"column": column, "value": value}
                ),
            )
        )
    key_index = layout.header.index(layout.key)
    rows.sort(key=lambda cells: cells[key_index])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=layout.delimiter, lineterminator="\r\n")
    writer.writerow(layout.header)
    writer.writerows(rows)
    return ScbFile(
        content=buffer.getvalue(), row_count=len(rows), problems=problems, youth_ids=youth_ids
    )


@dataclass(frozen=True)
class RowChange:
    key: str
    changes: list[tuple[str, str, str]]  # (column, before, after)


@dataclass(frozen=True)
class FileDiff:
    added: list[str]
    removed: list[str]
    changed: list[RowChange]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _rows_by_key(content: str, layout: Layout) -> tuple[list[str], dict[str, dict[str, str]]]:
    reader = csv.reader(io.StringIO(content), delimiter=layout.delimiter)
    lines = list(reader)
    if not lines:
        return [], {}
    header, *rows = lines
    if layout.key not in header:
        return header, {}
    key_index = header.index(layout.key)
    return header, {row[key_index]: dict(zip(header, row, strict=False)) for row in rows if row}


def diff_files(previous: str, current: str, *, layout: Layout) -> FileDiff:
    """What changed between two files, young person by young person (keyed by the layout's key)."""
    _before_header, before = _rows_by_key(previous, layout)
    header, after = _rows_by_key(current, layout)
    changed = []
    for key in sorted(set(before) & set(after)):
        changes = [
            (column, before[key].get(column, ""), after[key].get(column, ""))
            for column in header
            if before[key].get(column, "") != after[key].get(column, "")
        ]
        if changes:
            changed.append(RowChange(key, changes))
    return FileDiff(
        added=sorted(set(after) - set(before)),
        removed=sorted(set(before) - set(after)),
        changed=changed,
    )
