"""Run follow-up jobs now, in this process (the embedded demo has no worker; also for operators).

python manage.py followup_run                  # every job, today
python manage.py followup_run overdue_flags --today 2026-11-24
python manage.py followup_run retention --dry-run
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followup.tasks import TASKS

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

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = options["jobs"] or [job for job in ORDER if job != "retention"]
        for name in jobs:
            if name not in TASKS:
                raise CommandError(f"Okänt jobb: {name}")
            kwargs: dict[str, Any] = {"today": options["today"]}
            if name == "retention":
                kwargs["dry_run"] = options["dry_run"]
            result = TASKS[name].apply(kwargs=kwargs).get()
            self.stdout.write(f"{name}: {result}")
