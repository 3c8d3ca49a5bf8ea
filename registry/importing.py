"""Import of register rows from CSV or XLSX (issue 3, "Import").

Upload parses the file into an ImportBatch of ImportRows; the preview checks
the rows in chunks (so thousands of rows show progress); confirming writes all
valid rows in ONE transaction, so a failure mid-way writes nothing; cancelling
writes nothing to the register.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import logging
import re
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import eligibility, signals
from . import personnummer as pnr
from .models import Enrolment, ImportBatch, ImportRow, Municipality, Source, User, Youth

COLUMNS = (
    "personnummer",
    "first_name",
    "last_name",
    "street",
    "postal_code",
    "city",
    "source",
    "registered_on",
    "school",
)
REQUIRED_COLUMNS = ("personnummer", "first_name", "last_name", "source", "registered_on")
# Swedish headings that municipalities' own exports use.
COLUMN_ALIASES = {
    "förnamn": "first_name",
    "efternamn": "last_name",
    "gatuadress": "street",
    "adress": "street",
    "postnummer": "postal_code",
    "ort": "city",
    "postort": "city",
    "orsak": "source",
    "orsak till registrering": "source",
    "inskriven": "registered_on",
    "registreringsdatum": "registered_on",
    "skola": "school",
    "senaste skola": "school",
}
# The headings as the template file, the upload page and the messages name them
# (Swedish); a file may use these, the aliases above or the English keys.
COLUMN_LABELS = {
    "personnummer": "personnummer",
    "first_name": "förnamn",
    "last_name": "efternamn",
    "street": "gatuadress",
    "postal_code": "postnummer",
    "city": "postort",
    "source": "orsak",
    "registered_on": "registreringsdatum",
    "school": "skola",
}
logger = logging.getLogger(__name__)

# The most data rows one file may hold (docs/domain.md, "Import"); a larger file is
# refused before anything is staged, with a message saying to split it.
MAX_ROWS = 50_000
# NUL and lone surrogates cannot be stored in PostgreSQL text or JSON.
FORBIDDEN_TEXT = re.compile("[\x00\ud800-\udfff]")
# The register's field lengths (registry.models.Youth / Enrolment).
MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "street": 200,
    "postal_code": 10,
    "city": 100,
    "school": 200,
}
CHUNK_SIZE = 500


class ImportFileError(ValueError):
    """The file cannot be read at all; the message says why, in Swedish."""


# --- Reading the file ---


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """The file's data rows as dicts keyed by our column names (values as text)."""
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_table(content)
    elif filename.lower().endswith((".csv", ".txt")):
        table = _csv_table(content)
    else:
        raise ImportFileError(_("Filen måste vara en CSV- eller XLSX-fil."))
    if not table:
        raise ImportFileError(_("Filen är tom."))
    header = [_column_name(cell) for cell in table[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ImportFileError(
            _("Kolumner saknas i filens första rad: %(columns)s. Förväntade kolumner: %(all)s.")
            % {
                "columns": ", ".join(COLUMN_LABELS[column] for column in missing),
                "all": ", ".join(COLUMN_LABELS[column] for column in COLUMNS),
            }
        )
    rows = []
    for line, values in enumerate(table[1:], start=2):
        if not any(_text(value) for value in values):
            continue
        row = dict.fromkeys(COLUMNS, "")
        for column, value in zip(header, values, strict=False):
            if column in row:
                row[column] = _text(value)
                if FORBIDDEN_TEXT.search(row[column]):
                    raise ImportFileError(
                        _(
                            "Rad %(line)s, kolumnen %(column)s innehåller otillåtna tecken "
                            "(NUL-tecken eller ogiltig Unicode)."
                        )
                        % {"line": line, "column": column}
                    )
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_too_many_rows())
    if not rows:
        raise ImportFileError(_("Filen har inga rader under rubrikraden."))
    return rows


def _column_name(cell: object) -> str:
    name = _text(cell).lower().replace("\ufeff", "")
    return COLUMN_ALIASES.get(name, name.replace(" ", "_"))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(
                _("Filen ser ut att vara UTF-16 men kunde inte läsas. Spara den som CSV UTF-8.")
            ) from None
    if b"\x00" in content:
        # UTF-16 without its byte-order mark has a NUL byte beside every ASCII character.
        line = content[: content.index(b"\x00")].count(b"\n") + 1
        raise ImportFileError(
            _(
                "Filen innehåller NUL-tecken (första på rad %(line)s). Den kan vara sparad som "
                "UTF-16 utan byte-ordningsmärke eller vara skadad. Spara den som CSV UTF-8."
            )
            % {"line": line}
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "Tecknet 0x%(byte)02X på rad %(line)s finns varken i UTF-8 eller Windows-1252, "
                "så filens teckenkodning är okänd. Spara den som CSV UTF-8."
            )
            % {"byte": content[error.start], "line": line}
        ) from None


def _csv_table(content: bytes) -> list[list[object]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    # Swedish spreadsheet programs export with semicolons.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    table: list[list[object]] = []
    try:
        for row in reader:
            table.append(list(row))
            if len(table) > MAX_ROWS + 1:  # the heading, then at most MAX_ROWS rows
                raise ImportFileError(_too_many_rows())
    except csv.Error:
        raise ImportFileError(
            _(
                "Rad %(line)s kunde inte läsas: ett fält är för långt (högst %(limit)s tecken) "
                "eller citattecknen stämmer inte."
            )
            % {"line": reader.line_num, "limit": csv.field_size_limit()}
        ) from None
    return table


def _too_many_rows() -> str:
    return _(
        "Filen har fler än %(max)s rader; högst %(max)s går att läsa in på en gång. "
        "Dela upp filen och läs in delarna var för sig."
    ) % {"max": MAX_ROWS}


def _xlsx_table(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("XLSX-filen kunde inte läsas. Spara om den i Excel.")) from None
    sheet = workbook.worksheets[0]
    table = []
    for row in sheet.iter_rows(values_only=True):
        table.append(list(row))
        if len(table) > MAX_ROWS + 1:
            workbook.close()
            raise ImportFileError(_too_many_rows())
    workbook.close()
    return table


# --- The batch: upload, preview (chunks), confirm, cancel ---


@transaction.atomic
def import_batch_create(
    *, user: User, municipality: Municipality, filename: str, content: bytes
) -> ImportBatch:
    rows = read_rows(filename, content)
    batch = ImportBatch.objects.create(
        municipality=municipality,
        created_by=user,
        filename=FORBIDDEN_TEXT.sub("", filename)[:255],
        total_rows=len(rows),
    )
    ImportRow.objects.bulk_create(
        [ImportRow(batch=batch, line=index + 2, data=row) for index, row in enumerate(rows)],
        batch_size=1000,
    )
    return batch


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _source_code(value: str) -> str:
    labels = {str(label).lower(): code for code, label in Source.choices}
    value = value.strip()
    if value in Source.values:
        return value
    return labels.get(value.lower(), "")


@transaction.atomic
def import_batch_validate_step(
    *, batch: ImportBatch, chunk_size: int | None = None, today: datetime.date | None = None
) -> ImportBatch:
    """Check the next chunk of rows; the batch is READY when every row is checked."""
    today = today or timezone.localdate()
    chunk_size = chunk_size or CHUNK_SIZE
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.VALIDATING:
        return batch
    rows = list(batch.rows.filter(is_validated=False).order_by("line")[:chunk_size])
    parsed: dict[int, pnr.Personnummer] = {}
    for row in rows:
        try:
            parsed[row.pk] = pnr.parse(row.data.get("personnummer", ""), today=today)
            row.personnummer = parsed[row.pk].digits
        except pnr.InvalidPersonnummer:
            row.personnummer = ""
    numbers = {row.personnummer for row in rows if row.personnummer}
    existing = {
        youth.personnummer: youth
        for youth in Youth.objects.filter(
            municipality_id=batch.municipality_id, personnummer__in=numbers
        ).annotate(
            is_enrolled=Exists(
                Enrolment.objects.filter(youth=OuterRef("pk"), ended_on__isnull=True)
            )
        )
    }
    birth_dates = {p.birth_date for p in parsed.values()}
    same_birth: dict[datetime.date, list[Youth]] = {}
    # Look-alikes only among those the uploader may see: a protected young person is
    # not revealed to other coordinators (docs/domain.md, "Registration": protected identity).
    for youth in Youth.objects.visible_to(batch.created_by).filter(birth_date__in=birth_dates):
        same_birth.setdefault(youth.birth_date, []).append(youth)
    first_line: dict[str, int] = {}
    if rows:
        for number, line in (
            batch.rows.filter(personnummer__in=numbers, line__lt=rows[0].line)
            .order_by("-line")
            .values_list("personnummer", "line")
        ):
            first_line[number] = line

    for row in rows:
        _check_row(row, parsed.get(row.pk), existing, same_birth, first_line, today)
        row.is_validated = True
    ImportRow.objects.bulk_update(
        rows, ["personnummer", "is_validated", "problems", "warnings", "action", "youth"]
    )
    batch.validated_rows += len(rows)
    if batch.validated_rows >= batch.total_rows or not rows:
        batch.validated_rows = batch.total_rows
        batch.status = ImportBatch.Status.READY
    batch.save(update_fields=["validated_rows", "status"])
    return batch


def _check_row(
    row: ImportRow,
    parsed: pnr.Personnummer | None,
    existing: dict[str, Youth],
    same_birth: dict[datetime.date, list[Youth]],
    first_line: dict[str, int],
    today: datetime.date,
) -> None:
    data = row.data
    problems: list[str] = []
    warnings: list[str] = []
    if parsed is None:
        try:
            pnr.parse(data.get("personnummer", ""), today=today)
        except pnr.InvalidPersonnummer as error:
            problems.append(_("Personnummer: %(message)s") % {"message": error})
    for field, label in (("first_name", _("förnamn")), ("last_name", _("efternamn"))):
        if not data.get(field):
            problems.append(_("Ange %(field)s.") % {"field": label})
    for field, limit in MAX_LENGTHS.items():
        if len(data.get(field, "")) > limit:
            problems.append(
                _("Kolumnen %(field)s får ha högst %(limit)s tecken.")
                % {"field": COLUMN_LABELS[field], "limit": limit}
            )
    source = _source_code(data.get("source", ""))
    if not source:
        problems.append(
            _("Okänd orsak till registrering ”%(value)s”. Använd en av: %(codes)s.")
            % {"value": data.get("source", ""), "codes": ", ".join(Source.values)}
        )
    registered_on = _parse_date(data.get("registered_on", ""))
    if registered_on is None:
        problems.append(_("Inskrivningsdatumet ska skrivas ÅÅÅÅ-MM-DD."))
    youth = existing.get(row.personnummer) if row.personnummer else None
    if row.personnummer:
        if row.personnummer in first_line:
            problems.append(
                _("Dubblett i filen: samma personnummer som rad %(line)s.")
                % {"line": first_line[row.personnummer]}
            )
        else:
            first_line[row.personnummer] = row.line
    if youth is not None and youth.is_enrolled:  # type: ignore[attr-defined]
        problems.append(_("Redan inskriven: ungdomen har en aktiv inskrivning."))
    if parsed is not None and registered_on is not None:
        for refusal in eligibility.refusals(
            birth_date=parsed.birth_date,
            registered_on=registered_on,
            today=today,
            has_active_enrolment=False,
            is_im_student=youth.is_im_student if youth else False,
        ):
            problems.append(_("Inte behörig: %(message)s") % {"message": refusal.message})
    if parsed is not None:
        full_name = (data.get("first_name", "").lower(), data.get("last_name", "").lower())
        for other in same_birth.get(parsed.birth_date, []):
            if (
                other.personnummer != row.personnummer
                and (
                    other.first_name.lower(),
                    other.last_name.lower(),
                )
                == full_name
            ):
                warnings.append(
                    _(
                        "Att granska: %(name)s med samma födelsedatum finns redan med ett annat "
                        "nummer (%(masked)s). Kontrollera att det inte är samma person."
                    )
                    % {"name": other.full_name, "masked": other.masked_personnummer}
                )
    row.problems = [str(problem) for problem in problems]
    row.warnings = [str(warning) for warning in warnings]
    row.youth = youth
    if problems:
        row.action = ImportRow.Action.NONE
    elif youth is not None:
        row.action = ImportRow.Action.ENROL_EXISTING
    else:
        row.action = ImportRow.Action.CREATE


def import_batch_validate_all(*, batch: ImportBatch) -> ImportBatch:
    while batch.status == ImportBatch.Status.VALIDATING:
        batch = import_batch_validate_step(batch=batch)
    return batch


def import_batch_request_commit(*, batch: ImportBatch) -> bool:
    """Mark a previewed batch for writing; False when it is not ready (or already going)."""
    return bool(
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.READY).update(
            status=ImportBatch.Status.COMMITTING
        )
    )


def commit_progress_key(batch_id: int) -> str:
    return f"registry:import:{batch_id}:written"


class RowFailure(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def import_batch_commit(*, batch_id: int) -> ImportBatch:
    """Write every valid row in ONE transaction: a failure on any row writes nothing.

    The rows were checked in the preview; here the facts that can change in
    between (someone added or enrolled the young person meanwhile) are checked
    again for all rows at once, and the rows are written set-based with their
    history, so thousands of rows take seconds, not minutes.
    """
    batch = ImportBatch.objects.select_related("created_by", "municipality").get(pk=batch_id)
    if batch.status != ImportBatch.Status.COMMITTING:
        return batch  # already done or never confirmed: running twice does no harm
    try:
        with transaction.atomic():
            rows = list(
                batch.rows.exclude(action=ImportRow.Action.NONE)
                .select_related("youth")
                .order_by("line")
            )
            youths, enrolment_ids = _write_rows(batch, rows)
            batch.status = ImportBatch.Status.DONE
            batch.created_youths = youths
            batch.created_enrolments = len(enrolment_ids)
            batch.finished_at = timezone.now()
            batch.save()
            if enrolment_ids:
                # Bulk inserts send no post_save: casework keeps its routine state from this.
                signals.enrolments_registered.send(sender=Enrolment, enrolment_ids=enrolment_ids)
            # The register now holds what is needed; the staged copy goes (data minimisation).
            ImportRow.objects.filter(batch_id=batch.pk).delete()
    except RowFailure as failure:
        _fail(batch, failure.line, failure.message)
    except Exception as error:  # the database or anything else: still nothing written
        logger.exception("Import batch %s failed", batch.pk)
        _fail(batch, None, str(error))
    finally:
        cache.delete(commit_progress_key(batch.pk))
    return batch


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_rows(batch: ImportBatch, rows: list[ImportRow]) -> tuple[int, list[int]]:
    user = batch.created_by
    today = timezone.localdate()
    new_rows = [row for row in rows if row.action == ImportRow.Action.CREATE]
    for chunk in _chunks(new_rows, CHUNK_SIZE):
        taken = set(
            Youth.objects.filter(
                municipality=batch.municipality, personnummer__in=[r.personnummer for r in chunk]
            ).values_list("personnummer", flat=True)
        )
        for row in chunk:
            if row.personnummer in taken:
                raise RowFailure(
                    row.line, _("Ungdomen har lagts till i registret efter förhandsgranskningen")
                )
    existing_rows = [row for row in rows if row.action == ImportRow.Action.ENROL_EXISTING]
    for chunk in _chunks(existing_rows, CHUNK_SIZE):
        blocked = set(
            Youth.objects.filter(pk__in=[r.youth_id for r in chunk])
            .filter(
                Q(is_im_student=True)
                | Exists(Enrolment.objects.filter(youth=OuterRef("pk"), ended_on__isnull=True))
            )
            .values_list("pk", flat=True)
        )
        for row in chunk:
            if row.youth is None or row.youth_id in blocked:
                raise RowFailure(
                    row.line,
                    _(
                        "Ungdomen har fått en aktiv inskrivning eller IM-markering efter förhandsgranskningen"
                    ),
                )

    youths_by_line: dict[int, Youth] = {row.line: row.youth for row in existing_rows}  # type: ignore[misc]
    new_youths = []
    for row in new_rows:
        parsed = pnr.parse(row.personnummer, today=today)
        youth = Youth(
            municipality=batch.municipality,
            personnummer=parsed.digits,
            birth_date=parsed.birth_date,
            first_name=row.data["first_name"].strip(),
            last_name=row.data["last_name"].strip(),
            street=row.data.get("street", "").strip(),
            postal_code=row.data.get("postal_code", "").strip(),
            city=row.data.get("city", "").strip(),
        )
        _clean(youth, row.line, exclude=["municipality"])
        new_youths.append(youth)
        youths_by_line[row.line] = youth
    written = 0
    for chunk in _chunks(new_youths, CHUNK_SIZE):
        bulk_create_with_history(chunk, Youth, default_user=user)
        written += len(chunk)
        cache.set(commit_progress_key(batch.pk), written, 3600)

    enrolments = []
    for row in rows:
        enrolment = Enrolment(
            municipality=batch.municipality,
            youth=youths_by_line[row.line],
            registered_on=datetime.date.fromisoformat(row.data["registered_on"][:10]),
            source=_source_code(row.data["source"]),
            school=row.data.get("school", "").strip(),
        )
        _clean(enrolment, row.line, exclude=["municipality", "youth", "coordinator"])
        enrolments.append(enrolment)
    enrolment_ids: list[int] = []
    for chunk in _chunks(enrolments, CHUNK_SIZE):
        created = bulk_create_with_history(chunk, Enrolment, default_user=user)
        enrolment_ids += [enrolment.pk for enrolment in created]
        written += len(chunk)
        cache.set(commit_progress_key(batch.pk), written, 3600)
    return len(new_youths), enrolment_ids


def _clean(instance: Youth | Enrolment, line: int, *, exclude: list[str]) -> None:
    """Field checks without queries; uniqueness was checked for all rows above."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise RowFailure(line, "; ".join(error.messages)) from None


def _fail(batch: ImportBatch, line: int | None, message: str) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.error_message = _("Rad %(line)s: %(message)s. Ingenting skrevs in.") % {
        "line": line or "–",
        "message": message,
    }
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error_message", "finished_at"])
    ImportRow.objects.filter(batch_id=batch.pk).delete()


@transaction.atomic
def import_batch_cancel(*, batch: ImportBatch) -> bool:
    """Cancel before writing: the staged rows (personal data) are removed, the register untouched."""
    cancellable = (ImportBatch.Status.VALIDATING, ImportBatch.Status.READY)
    updated = ImportBatch.objects.filter(pk=batch.pk, status__in=cancellable).update(
        status=ImportBatch.Status.CANCELLED, finished_at=timezone.now()
    )
    if updated:
        ImportRow.objects.filter(batch_id=batch.pk).delete()
    return bool(updated)


STALE_AFTER_DAYS = 7


def import_batches_purge(*, now: datetime.datetime | None = None) -> int:
    """Cancel previews left unconfirmed for a week, removing their staged rows.

    Returns the number of batches cancelled. Meant for a nightly job.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=STALE_AFTER_DAYS)
    stale = ImportBatch.objects.filter(
        created_at__lt=cutoff,
        status__in=(ImportBatch.Status.VALIDATING, ImportBatch.Status.READY),
    )
    return sum(import_batch_cancel(batch=batch) for batch in stale)


def summary(batch: ImportBatch) -> dict[str, int]:
    counts = {"create": 0, "enrol_existing": 0, "problems": 0, "warnings": 0}
    for action, warnings in batch.rows.values_list("action", "warnings"):
        if action == ImportRow.Action.CREATE:
            counts["create"] += 1
        elif action == ImportRow.Action.ENROL_EXISTING:
            counts["enrol_existing"] += 1
        else:
            counts["problems"] += 1
        if warnings:
            counts["warnings"] += 1
    return counts


def write_rows(rows: Iterable[dict[str, str]]) -> bytes:
    """A CSV file of rows (keyed by COLUMNS) in the import format, with the Swedish headings."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";")
    writer.writerow([COLUMN_LABELS[column] for column in COLUMNS])
    for row in rows:
        writer.writerow([row.get(column, "") for column in COLUMNS])
    return output.getvalue().encode("utf-8")
