"""Load the synthetic demo data. Idempotent: a second run keeps what is there.

Each app that has demo data provides ``<app>.demo.seed(municipality, users)``;
they run in dependency order.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from registry.demo import DEMO_PASSWORD, DEMO_USERS, seed_users

DEMO_APPS = ("registry", "casework", "followup", "reports")
# Demo modules beyond the apps' own: a second municipality, a region, a move.
DEMO_EXTRA = ("registry.demo_region", "casework.demo_region")


class Command(BaseCommand):
    help = "Läs in syntetiska demodata: en demokommun och en användare per roll."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            municipality, users = seed_users()
            for app in DEMO_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                summary = module.seed(municipality, users)
                if summary:
                    self.stdout.write(f"  {app}: {summary}")
            for name in DEMO_EXTRA:
                self.stdout.write(f"  {name}: {import_module(name).seed(municipality, users)}")
        self.stdout.write(self.style.SUCCESS(f"Demodata för {municipality} är inläst."))
        self.stdout.write(
            f"Logga in på http://127.0.0.1:8000 med (lösenord för alla: {DEMO_PASSWORD}):"
        )
        for username, role, _first, _last in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role.label}")
