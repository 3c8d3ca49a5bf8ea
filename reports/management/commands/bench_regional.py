"""Benchmark the regional page's figures for a region of 13 municipalities and print them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaa_bench \\
    DJANGO_SETTINGS_MODULE=kaa.settings.test python manage.py bench_regional --enrolments 50000

Builds synthetic municipalities (codes 8701…, not real SCB codes) with enrolments,
contact attempts and occupations (bulk_create; personnummer from
registry.personnummer.synthetic), groups 13 of them in a region, times
``reports.selectors.regional.regional_figures`` (what the regional page, CSV, PDF
and API compute) and deletes everything it built. It prints figures; it is not a
timed test. Target: the dashboard's ≤ 300 ms (docs/domain.md, issue 15).
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import ContactAttempt
from followup.management.commands.bench_flags import Command as FlagsBench
from registry.models import Enrolment, Municipality, Occupation, Region, Source, Youth
from registry.personnummer import synthetic
from reports.key_figures import Period
from reports.selectors.regional import regional_figures

FIRST_CODE = 8701
REGION_SIZE = 13
REGION_NAME = "Bänkregionen"


class Command(BaseCommand):
    help = "Mät regionsidans nyckeltal för en region med 13 kommuner och skriv ut siffrorna."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enrolments", type=int, default=50_000)
        parser.add_argument("--municipalities", type=int, default=40)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--keep", action="store_true", help="Behåll testdata efteråt (annars tas de bort)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        FlagsBench()._ensure_database()
        self._cleanup()
        today = timezone.localdate()
        try:
            started = time.perf_counter()
            rng = random.Random(options["seed"])  # noqa: S311 (synthetic data only)
            region, in_region = self._build(
                options["enrolments"], options["municipalities"], today, rng
            )
            self.stdout.write(
                f"Byggde {options['enrolments']} inskrivningar i {options['municipalities']} "
                f"kommuner ({in_region} i regionens {REGION_SIZE}) på "
                f"{time.perf_counter() - started:.1f} s [{connection.vendor}]"
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as a live database has its statistics
            period = Period(today - datetime.timedelta(days=181), today)
            for label, with_compliance in (
                ("Regionsidan (nyckeltal)", False),
                ("Rutinefterlevnaden per kommun", True),
            ):
                timings = []
                for _run in range(options["runs"]):
                    with CaptureQueriesContext(connection) as queries:
                        began = time.perf_counter()
                        regional_figures(
                            region=region,
                            period=period,
                            today=today,
                            with_compliance=with_compliance,
                        )
                        timings.append(time.perf_counter() - began)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{label}: median {statistics.median(timings) * 1000:.0f} ms, "
                        f"längsta {max(timings) * 1000:.0f} ms över {len(timings)} körningar, "
                        f"{len(queries)} frågor (mål för sidan ≤ 300 ms)"
                    )
                )
        finally:
            if not options["keep"]:
                self._cleanup()

    def _build(
        self, count: int, municipalities: int, today: datetime.date, rng: random.Random
    ) -> tuple[Region, int]:
        with transaction.atomic():
            places = Municipality.objects.bulk_create(
                [
                    Municipality(code=f"{FIRST_CODE + n:04d}", name=f"Bänkkommun {n + 1}")
                    for n in range(municipalities)
                ]
            )
            youths = []
            for index in range(count):
                place = places[index % municipalities]
                local = index // municipalities
                birth = datetime.date(2007, 1, 1) + datetime.timedelta(days=(local // 20) % 1400)
                youths.append(
                    Youth(
                        municipality=place,
                        personnummer=synthetic(birth, local % 20),
                        birth_date=birth,
                        first_name=f"Bänk{index}",
                        last_name="Testsson",
                    )
                )
            youths = Youth.objects.bulk_create(youths, batch_size=5000)
            enrolments = Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        municipality_id=youth.municipality_id,
                        youth=youth,
                        registered_on=today - datetime.timedelta(days=rng.randrange(540)),
                        source=rng.choice(Source.values),
                    )
                    for youth in youths
                ],
                batch_size=5000,
            )
            attempts, occupations = [], []
            for enrolment in enrolments:
                for offset in range(rng.randrange(3)):
                    attempts.append(
                        ContactAttempt(
                            enrolment=enrolment,
                            date=enrolment.registered_on + datetime.timedelta(days=5 + 20 * offset),
                            channel="phone",
                            party="youth",
                            outcome=rng.choice(("reached", "not_reached")),
                        )
                    )
                occupations.append(
                    Occupation(
                        enrolment=enrolment,
                        from_date=enrolment.registered_on,
                        kind=rng.choice(("none", "work", "unknown", "internship")),
                    )
                )
            ContactAttempt.objects.bulk_create(attempts, batch_size=5000)
            Occupation.objects.bulk_create(occupations, batch_size=5000)
            region = Region.objects.create(name=REGION_NAME)
            region.municipalities.set(places[:REGION_SIZE])
        in_region = Enrolment.objects.filter(municipality__in=places[:REGION_SIZE]).count()
        return region, in_region

    def _cleanup(self) -> None:
        """Delete what the benchmark built, with plain DELETEs (no per-row history or signals)."""
        Region.objects.filter(name=REGION_NAME).delete()
        municipalities = list(
            Municipality.objects.filter(
                code__gte=f"{FIRST_CODE}", code__lte="8799", name__startswith="Bänkkommun"
            ).values_list("pk", flat=True)
        )
        if not municipalities:
            return
        # Table names come from the models and the ids are parameters.
        placeholders = ", ".join(["%s"] * len(municipalities))
        in_bench = f"municipality_id IN ({placeholders})"
        enrolments = f"SELECT id FROM {Enrolment._meta.db_table} WHERE {in_bench}"  # noqa: S608
        statements = [
            f"DELETE FROM {ContactAttempt._meta.db_table} WHERE enrolment_id IN ({enrolments})",  # noqa: S608
            f"DELETE FROM {Occupation._meta.db_table} WHERE enrolment_id IN ({enrolments})",  # noqa: S608
            f"DELETE FROM {Enrolment._meta.db_table} WHERE {in_bench}",  # noqa: S608
            f"DELETE FROM {Youth._meta.db_table} WHERE {in_bench}",  # noqa: S608
            f"DELETE FROM {Municipality._meta.db_table} WHERE id IN ({placeholders})",  # noqa: S608
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, municipalities)
