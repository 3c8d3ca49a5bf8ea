"""Measure a running KAA (gunicorn) on a generated data set; print a table and write JSON.

Run by ``make bench`` (scripts/bench/run.sh), which creates the database,
generates the data set and starts gunicorn with KAA_BENCH=1 first:

    python manage.py bench_run --url http://127.0.0.1:8765 --size national

See docs/performance.md for what each row measures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kaa.bench.driver import Bench, dataset_figures, table, write


class Command(BaseCommand):
    help = "Mät sidor, rapporter, nattjobb och last mot en körande KAA och skriv ut siffrorna."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8765")
        parser.add_argument("--size", default="custom", help="Namnet på datamängden (i filnamnet).")
        parser.add_argument("--repeat", type=int, default=30, help="Mätningar per sida.")
        parser.add_argument("--load-users", type=int, default=50)
        parser.add_argument("--load-seconds", type=int, default=60)
        parser.add_argument(
            "--skip", action="append", default=[], choices=["pages", "board", "nightly", "load"]
        )
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "bench-results"))

    def handle(self, *args: Any, **options: Any) -> None:
        bench = Bench(
            base_url=options["url"],
            repeat=options["repeat"],
            load_users=options["load_users"],
            load_seconds=options["load_seconds"],
            log=self.stdout.write,
        )
        dataset = dataset_figures()
        self.stdout.write(f"Datamängd: {dataset}")
        skip = set(options["skip"])
        # The nightly jobs first: the pages are then measured as after a night's run.
        if "nightly" not in skip:
            bench.run_nightly()
        if "pages" not in skip:
            bench.run_pages()
        if "board" not in skip:
            bench.run_board_report()
        if "load" not in skip:
            bench.run_load()
        result = bench.result(size=options["size"], dataset=dataset)
        path = write(result, Path(options["output"]))
        self.stdout.write("")
        self.stdout.write(table(result))
        self.stdout.write("")
        machine = result["machine"]
        self.stdout.write(
            f"Belastning på maskinen (1/5/15 min): vid start "
            f"{machine['load_average_1_5_15_min_at_start']}, vid slut "
            f"{machine['load_average_1_5_15_min_at_end']} ({machine['cpus']} kärnor)"
        )
        self.stdout.write(self.style.SUCCESS(f"Skrev {path}"))
