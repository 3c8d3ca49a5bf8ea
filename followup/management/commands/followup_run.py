"""Run follow-up jobs now, in this process (the embedded demo has no worker; also for operators).

python manage.py followup_run                  # every job, today
python manage.py followup_run overdue_flags --today 2026-11-24
python manage.py followup_run retention --dry-run
python manage.py followup_run --schedule       # what the beat schedule has due now
python manage.py followup_run --schedule --every 60   # the schedule in-process, a loop
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followup.services.schedule import scheduled_jobs_due
from followup.tasks import TASKS
from kaa.celery import app

# The order of the nightly schedule: age-out before the flags (kaa/celery.py).
ORDER = ("age_out", "overdue_flags", "reminders", "digests", "retention")


class Command(BaseCommand):
    help = "Kör uppföljningsjobben nu i den här processen och skriv ut vad som ändrades."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("jobs", nargs="*", help=", ".join(ORDER))
        parser.add_argument("--today", help="Dagen jobbet räknar med (ÅÅÅÅ-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Gallring: visa bara vad som skulle gallras."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Kör de jobb som schemat (kaa/celery.py) har på tur, som beat gör.",
        )
        parser.add_argument(
            "--every", type=int, help="Med --schedule: kontrollera schemat var N:e sekund."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            while True:
                self._run(scheduled_jobs_due(beat_schedule=app.conf.beat_schedule, jobs=TASKS), {})
                if not options["every"]:
                    return
                time.sleep(options["every"])
        jobs = options["jobs"] or [job for job in ORDER if job != "retention"]
        self._run(jobs, options)

    def _run(self, jobs: list[str], options: dict[str, Any]) -> None:
        for name in jobs:
            if name not in TASKS:
                raise CommandError(f"Okänt jobb: {name}")
            kwargs: dict[str, Any] = {"today": options.get("today")}
            if name == "retention":
                kwargs["dry_run"] = options.get("dry_run", False)
            result = TASKS[name].apply(kwargs=kwargs).get()
            self.stdout.write(f"{name}: {result}")
