"""Benchmark the overdue-flag job over many active enrolments and print the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaa_bench \\
    DJANGO_SETTINGS_MODULE=kaa.settings.test python manage.py bench_flags --enrolments 50000

Builds synthetic municipalities (codes 8901…, not real SCB codes) with active
enrolments and stored RoutineState rows (bulk_create; personnummer from
registry.personnummer.synthetic), times the flag job's first run, a second
run that must change nothing, and a run after a tenth of the steps were done,
then the whole nightly job (RoutineState recomputed by the routine engine, then
the flags), and deletes everything it built. On PostgreSQL a missing database is created
and migrated first. It prints figures; it is not a timed test.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import RoutineState
from casework.services.routine_state import routine_state_refresh
from followup.models import OverdueFlag
from followup.services.flags import overdue_flags_sync
from registry.models import Enrolment, Municipality, Source, Youth
from registry.personnummer import synthetic

FIRST_BENCH_CODE = 8901
PER_MUNICIPALITY_MAX = 20_000  # keeps (birth date, test serial) unique per municipality
TOLERANCE_DAYS = 7
HALF_YEAR_DAYS = 182
STEPS = (  # (step, days after registration it falls due) for the synthetic states
    ("first_contact", 7),
    ("second_attempt", 37),
    ("home_visit", 67),
    ("post_visit_followup", 97),
    ("offer_conversation", 30),
    ("regular_followup", 120),
)


class Command(BaseCommand):
    help = (
        "Mät flaggjobbet för försenade steg över många aktiva inskrivningar och skriv ut siffrorna."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enrolments", type=int, default=50_000)
        parser.add_argument("--municipalities", type=int, default=10)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--keep", action="store_true", help="Behåll testdata efteråt (annars tas de bort)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._ensure_database()
        count = options["enrolments"]
        municipalities = max(options["municipalities"], -(-count // PER_MUNICIPALITY_MAX))
        today = timezone.localdate()
        self._cleanup()  # a crashed earlier run
        try:
            started = time.perf_counter()
            rng = random.Random(options["seed"])  # noqa: S311 (synthetic data only)
            built = self._build(count, municipalities, today, rng)
            self.stdout.write(
                f"Byggde {count} aktiva inskrivningar i {municipalities} kommuner "
                f"({built} försenade steg) på {time.perf_counter() - started:.1f} s "
                f"[{connection.vendor}, databas {connection.settings_dict['NAME']}]"
            )
            first = self._timed("Första körningen", today)
            second = self._timed("Andra körningen (ska inte ändra något)", today)
            self._complete_a_tenth(today)
            third = self._timed("Efter att en tiondel av stegen gjorts", today)
            if first["opened"] != built or second["opened"] or second["resolved"]:
                raise CommandError(f"Oväntat resultat: {first}, {second}")
            nightly = self._timed_nightly(today)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Flaggjobbet: {first['seconds']:.2f} s för {count} inskrivningar "
                    f"(mål ≤ 20 s), andra körningen {second['seconds']:.2f} s, "
                    f"efter ändringar {third['seconds']:.2f} s; hela nattjobbet med "
                    f"omräkning av rutinläget {nightly:.2f} s."
                )
            )
        finally:
            if not options["keep"]:
                self._cleanup()

    def _ensure_database(self) -> None:
        try:
            connection.ensure_connection()
        except OperationalError as error:
            if connection.vendor != "postgresql" or "does not exist" not in str(error):
                raise
            self._create_postgres_database()
        call_command("migrate", verbosity=0)

    def _create_postgres_database(self) -> None:
        import psycopg

        params = connection.get_connection_params()
        name = connection.settings_dict["NAME"]
        params.pop("dbname", None)
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.stdout.write(f"Skapade databasen {name}.")
        connection.close()

    def _build(
        self, count: int, municipalities: int, today: datetime.date, rng: random.Random
    ) -> int:
        codes = [f"{FIRST_BENCH_CODE + n:04d}" for n in range(municipalities)]
        with transaction.atomic():
            places = Municipality.objects.bulk_create(
                [Municipality(code=code, name=f"Bänkkommun {code}") for code in codes]
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
                        registered_on=today
                        - datetime.timedelta(days=rng.randrange(HALF_YEAR_DAYS)),
                        source=rng.choice(Source.values),
                    )
                    for youth in youths
                ],
                batch_size=5000,
            )
            states = []
            overdue = 0
            for enrolment in enrolments:
                step, offset = rng.choice(STEPS)
                due = enrolment.registered_on + datetime.timedelta(days=offset)
                overdue_after = due + datetime.timedelta(days=TOLERANCE_DAYS)
                overdue += overdue_after < today
                states.append(
                    RoutineState(
                        enrolment=enrolment,
                        municipality_id=enrolment.municipality_id,
                        next_step=step,
                        next_due=due,
                        overdue_after=overdue_after,
                    )
                )
            RoutineState.objects.bulk_create(states, batch_size=5000)
        return overdue

    def _timed(self, label: str, today: datetime.date) -> dict[str, Any]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            changes = overdue_flags_sync(today=today)
            seconds = time.perf_counter() - started
        open_flags = OverdueFlag.objects.filter(resolved_on__isnull=True).count()
        self.stdout.write(
            f"{label}: {seconds:.2f} s, {len(queries)} frågor, "
            f"{changes.opened} flaggor öppnade, {changes.resolved} stängda, {open_flags} öppna"
        )
        return {"seconds": seconds, "queries": len(queries), **changes.as_dict()}

    def _timed_nightly(self, today: datetime.date) -> float:
        """The whole nightly job: RoutineState recomputed from the attempts, then the flags.

        With no attempts in the synthetic data every step becomes first_contact, so
        this run also resolves and opens many flags.
        """
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            refreshed = routine_state_refresh(today=today)
            refresh_seconds = time.perf_counter() - started
            changes = overdue_flags_sync(today=today)
            seconds = time.perf_counter() - started
        self.stdout.write(
            f"Hela nattjobbet: {seconds:.2f} s ({refresh_seconds:.2f} s för att räkna om "
            f"{refreshed} rutinlägen), {len(queries)} frågor, {changes.opened} flaggor "
            f"öppnade, {changes.resolved} stängda"
        )
        return seconds

    def _complete_a_tenth(self, today: datetime.date) -> None:
        """A tenth of the enrolments got an attempt: their next step moves 90 days ahead."""
        bench = RoutineState.objects.filter(
            enrolment__municipality__code__gte=f"{FIRST_BENCH_CODE}"
        )
        ids = list(bench.values_list("pk", flat=True)[::10])
        RoutineState.objects.filter(pk__in=ids).update(
            next_step="periodic_attempt",
            next_due=today + datetime.timedelta(days=90),
            overdue_after=today + datetime.timedelta(days=90 + TOLERANCE_DAYS),
        )

    def _cleanup(self) -> None:
        """Delete what the benchmark built, with plain DELETEs (no per-row history or signals)."""
        municipalities = list(
            Municipality.objects.filter(
                code__gte=f"{FIRST_BENCH_CODE}", code__lte="8999"
            ).values_list("pk", flat=True)
        )
        if not municipalities:
            return
        # Table names come from the models and the ids are parameters.
        placeholders = ", ".join(["%s"] * len(municipalities))
        in_bench = f"municipality_id IN ({placeholders})"
        enrolments = f"SELECT id FROM {Enrolment._meta.db_table} WHERE {in_bench}"  # noqa: S608
        statements = [
            f"DELETE FROM {OverdueFlag._meta.db_table} WHERE enrolment_id IN ({enrolments})",  # noqa: S608
            f"DELETE FROM {RoutineState._meta.db_table} WHERE enrolment_id IN ({enrolments})",  # noqa: S608
            f"DELETE FROM {Enrolment._meta.db_table} WHERE {in_bench}",  # noqa: S608
            f"DELETE FROM {Youth._meta.db_table} WHERE {in_bench}",  # noqa: S608
            f"DELETE FROM {Municipality._meta.db_table} WHERE id IN ({placeholders})",  # noqa: S608
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, municipalities)
