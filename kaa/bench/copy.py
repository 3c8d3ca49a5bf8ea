"""Bulk loading with PostgreSQL COPY, driven by the models' own field lists.

A ``TableWriter`` collects rows for one model as tuples of the attnames it was
given; every other concrete field gets its default (``auto_now``/``auto_now_add``
fields the load's timestamp, JSON fields their default serialised). A field
with neither a value nor a default is reported when the writer is built, so a
model that gains a required column fails loudly instead of loading wrong data.
Models with django-simple-history get their historical rows from the same
tuples plus when, how ('+' created, '~' changed) and by whom.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

HISTORY_EXTRA = ("history_date", "history_type", "history_user_id")


class MissingValue(Exception):
    pass


def _field_default(field: models.Field, now: datetime.datetime) -> Any:
    # A historical model keeps auto_now fields as plain ones: the load's timestamp too.
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if not stamped and hasattr(field.model, "instance_type"):
        original = field.model.instance_type._meta
        source = next((f for f in original.concrete_fields if f.attname == field.attname), None)
        stamped = getattr(source, "auto_now", False) or getattr(source, "auto_now_add", False)
    if stamped:
        return (
            now.date()
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
            else now
        )
    if field.has_default():
        value = field.get_default()
    elif field.null:
        value = None
    elif isinstance(field, models.CharField | models.TextField) and field.blank:
        value = ""
    else:
        raise MissingValue(
            f"{field.model.__name__}.{field.attname} has no default: give it a value"
        )
    if isinstance(field, models.JSONField) and value is not None:
        return json.dumps(value)
    return value


class _Table:
    """One table's column list: the given attnames, then the defaulted rest."""

    def __init__(self, model: type[models.Model], given: Sequence[str], now: datetime.datetime):
        self.model = model
        self.table = model._meta.db_table
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [name for name in given if name not in fields]
        if unknown:
            raise MissingValue(f"{model.__name__} has no field(s) {unknown}")
        self.json_positions = [
            index for index, name in enumerate(given) if isinstance(fields[name], models.JSONField)
        ]
        rest = [
            field
            for name, field in fields.items()
            if name not in given and not (field.primary_key and isinstance(field, models.AutoField))
        ]
        # An auto primary key left out is filled by the column's identity default.
        self.default_values = tuple(_field_default(field, now) for field in rest)
        self.columns = [str(fields[name].column) for name in given] + [
            str(field.column) for field in rest
        ]
        self.rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        if self.json_positions:
            row = list(row)  # type: ignore[assignment]
            for index in self.json_positions:
                row[index] = json.dumps(row[index])  # type: ignore[index]
            row = tuple(row)
        self.rows.append(row)

    def flush(self, cursor: Any) -> int:
        if not self.rows:
            return 0
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        table = connection.ops.quote_name(self.table)
        extra = self.default_values
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in self.rows:
                copy.write_row(row + extra)
        count = len(self.rows)
        self.rows = []
        return count


class TableWriter:
    """Rows of one model, and its historical rows when the model keeps history."""

    def __init__(self, model: type[models.Model], given: Sequence[str], now: datetime.datetime):
        self.model = model
        self.given = tuple(given)
        self.table = _Table(model, self.given, now)
        history = getattr(model, "history", None)
        self.history: _Table | None = None
        # Fields a model's history leaves out (User: password, last_login) are left out here.
        self.history_positions: list[int] = []
        if history is not None and hasattr(history, "model"):
            kept = {field.attname for field in history.model._meta.concrete_fields}
            self.history_positions = [i for i, name in enumerate(self.given) if name in kept]
            names = tuple(self.given[i] for i in self.history_positions)
            self.history = _Table(history.model, names + HISTORY_EXTRA, now)
        self._project = len(self.history_positions) != len(self.given)

    def _historical(self, row: tuple) -> tuple:
        return tuple(row[i] for i in self.history_positions) if self._project else row

    def add(
        self,
        row: tuple,
        *,
        at: datetime.datetime | None = None,
        by: int | None = None,
        created_as: tuple | None = None,
    ) -> None:
        """A row; with history, its '+' row dated ``at`` and made by user id ``by``.

        ``created_as`` is the row as first saved when it has changed since
        (the change itself goes in with ``add_change``).
        """
        self.table.add(row)
        if self.history is not None:
            first = self._historical(created_as or row)
            self.history.add((*first, at or timezone.now(), "+", by))

    def add_change(self, row: tuple, *, at: datetime.datetime, by: int | None) -> None:
        """A later version of a row (history only, type '~')."""
        if self.history is not None:
            self.history.add((*self._historical(row), at, "~", by))

    @property
    def pending(self) -> int:
        return len(self.table.rows) + (len(self.history.rows) if self.history else 0)

    def flush(self, cursor: Any) -> tuple[int, int]:
        rows = self.table.flush(cursor)
        history_rows = self.history.flush(cursor) if self.history else 0
        return rows, history_rows


def next_id(model: type[models.Model]) -> int:
    """The first free primary key (the tables are empty in a fresh load, but not always)."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(str(model._meta.pk.column))
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def reset_sequence(model: type[models.Model]) -> None:
    """After loading explicit ids, the identity continues after the largest one."""
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        sequence = cursor.fetchone()[0]
        if sequence is None:
            return
        quoted_table = connection.ops.quote_name(table)
        quoted_column = connection.ops.quote_name(column)
        cursor.execute(
            f"SELECT setval(%s, COALESCE((SELECT MAX({quoted_column}) FROM {quoted_table}), 0) + 1, false)",  # noqa: S608
            [sequence],
        )
