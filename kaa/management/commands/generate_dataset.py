"""Fill an empty PostgreSQL database with a synthetic data set (docs/performance.md).

    python manage.py generate_dataset --size national          # ~300,000 young people
    python manage.py generate_dataset --size small --seed 7
    python manage.py generate_dataset --youths 300000 --municipalities 290 --seed 2026
    python manage.py generate_dataset --size region --flush    # empty the database first

Every bench account (bench_coordinator, bench_manager, bench_secretary in the
big municipality 1480 "Storstad", bench_<code>_… elsewhere) has the password
``bench-kaa-2026``. The data are synthetic: test personnummer, invented names.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection

from kaa.bench.dataset import SIZES, Generator
from registry.models import Enrolment, Municipality, Youth

# Tables --flush empties: every table of the project's apps, with their history tables.
FLUSHED_APPS = ("registry", "casework", "followup", "reports", "sessions", "admin")


class Command(BaseCommand):
    help = "Fyll en tom PostgreSQL-databas med syntetiska data för prestandamätning."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--youths", type=int, help="Antal ungdomar (över fem år).")
        parser.add_argument("--municipalities", type=int, help="Antal kommuner.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", help="Dagen datan räknas fram till (ÅÅÅÅ-MM-DD).")
        parser.add_argument("--flush", action="store_true", help="Töm projektets tabeller först.")
        parser.add_argument(
            "--no-vacuum",
            action="store_true",
            help="Hoppa över VACUUM (ANALYZE körs ändå).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("generate_dataset skriver med COPY och kräver PostgreSQL.")
        size = SIZES[options["size"]]
        youths = options["youths"] or size.youths
        municipalities = options["municipalities"] or size.municipalities
        today = (
            datetime.date.fromisoformat(options["today"])
            if options["today"]
            else datetime.date.today()
        )
        if options["flush"]:
            self._flush()
        elif self._has_data():
            raise CommandError(
                "Databasen innehåller redan kommuner eller ungdomar. "
                "Kör med --flush för att tömma den först."
            )
        self.stdout.write(
            f"Bygger {youths} ungdomar i {municipalities} kommuner "
            f"(seed {options['seed']}, idag {today}) i databasen "
            f"{connection.settings_dict['NAME']} …"
        )
        generator = Generator(
            youths=youths,
            municipalities=municipalities,
            big_share=size.big_share,
            seed=options["seed"],
            today=today,
            log=self.stdout.write,
        )
        figures = generator.run()
        started = time.perf_counter()
        self._analyze(vacuum=not options["no_vacuum"])
        figures.timings["analyze"] = time.perf_counter() - started
        self._report(figures)

    def _has_data(self) -> bool:
        return Municipality.objects.exists() or Youth.objects.exists() or Enrolment.objects.exists()

    def _tables(self) -> list[str]:
        return [
            model._meta.db_table
            for name in FLUSHED_APPS
            if name in apps.app_configs
            for model in apps.get_app_config(name).get_models(include_auto_created=True)
            if model._meta.managed
        ]

    def _flush(self) -> None:
        started = time.perf_counter()
        statements = connection.ops.sql_flush(
            no_style(), self._tables(), reset_sequences=True, allow_cascade=True
        )
        with connection.cursor() as cursor:
            # Inside a transaction that already wrote (a test), checks still pending
            # would block TRUNCATE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Tömde tabellerna på {time.perf_counter() - started:.1f} s")

    def _analyze(self, *, vacuum: bool) -> None:
        """Fresh statistics, as a running installation has; VACUUM sets the visibility map."""
        tables = self._tables()
        with connection.cursor() as cursor:
            if vacuum and not connection.in_atomic_block:
                for table in tables:
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
            else:
                cursor.execute("ANALYZE")

    def _report(self, figures: Any) -> None:
        data = figures.as_dict()
        timings = data.pop("timings")
        overdue = figures.overdue_active / figures.active if figures.active else 0
        self.stdout.write(
            "Byggt: "
            + ", ".join(f"{name} {value}" for name, value in data.items())
            + f" (försenade bland aktiva: {overdue:.0%})"
        )
        self.stdout.write(
            "Tider: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        )
        self.stdout.write(self.style.SUCCESS("Klart. Lösenord för bench-kontona: bench-kaa-2026"))
