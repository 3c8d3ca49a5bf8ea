"""Scripted import of register rows: the same checks and the same single transaction as the page."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry import importing
from registry.models import ImportBatch, ImportRow, Municipality, User


class Command(BaseCommand):
    help = "Läs in registerrader från en CSV- eller XLSX-fil (förhandsgranskning med --dry-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True, help="Kommunkod, t.ex. 0682")
        parser.add_argument("--user", required=True, help="Användaren som står för inläsningen")
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle hända, skriv inget"
        )

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        if not path.is_file():
            raise CommandError(f"Filen {path} finns inte.")
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Ingen kommun med koden {options['municipality']}.")
        user = User.objects.filter(username=options["user"]).first()
        if user is None or user.municipality_id != municipality.pk:
            raise CommandError(f"Ingen användare {options['user']} i kommunen {municipality}.")
        try:
            batch = importing.import_batch_create(
                user=user, municipality=municipality, filename=path.name, content=path.read_bytes()
            )
        except importing.ImportFileError as error:
            raise CommandError(str(error)) from None
        batch = importing.import_batch_validate_all(batch=batch)
        for row in batch.rows.order_by("line"):
            for problem in row.problems:
                self.stdout.write(f"Rad {row.line}: {problem}")
            for warning in row.warnings:
                self.stdout.write(f"Rad {row.line}: {warning}")
        counts = importing.summary(batch)
        self.stdout.write(
            f"{batch.total_rows} rader: {counts['create']} nya ungdomar, "
            f"{counts['enrol_existing']} befintliga får en inskrivning, "
            f"{counts['problems']} med fel, {counts['warnings']} att granska."
        )
        if options["dry_run"]:
            importing.import_batch_cancel(batch=batch)
            self.stdout.write("Provkörning: ingenting skrevs in.")
            return
        if not batch.rows.exclude(action=ImportRow.Action.NONE).exists():
            importing.import_batch_cancel(batch=batch)
            raise CommandError("Inga giltiga rader att skriva in.")
        importing.import_batch_request_commit(batch=batch)
        batch = importing.import_batch_commit(batch_id=batch.pk)
        if batch.status != ImportBatch.Status.DONE:
            raise CommandError(batch.error_message)
        self.stdout.write(
            self.style.SUCCESS(
                f"Klart: {batch.created_youths} nya ungdomar och "
                f"{batch.created_enrolments} inskrivningar."
            )
        )
