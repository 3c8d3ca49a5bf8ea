from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.services import municipality_ensure
from registry.system import system_user


class Command(BaseCommand):
    help = "Lägg till en kommun med dess fyrsiffriga SCB-kod, t.ex. 0682 Nässjö (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="SCB:s kommunkod, fyra siffror")
        parser.add_argument("name", nargs="+", help="Kommunens namn")

    def handle(self, *args: object, code: str, name: list[str], **options: object) -> None:
        try:
            municipality, outcome = municipality_ensure(
                code=code, name=" ".join(name), acting_user=system_user
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if outcome.created:
            self.stdout.write(self.style.SUCCESS(f"Kommunen {municipality} är tillagd."))
        elif outcome.changed:
            self.stdout.write(f"Kommunen {municipality} har fått nytt namn.")
        else:
            self.stdout.write(f"Kommunen {municipality} fanns redan; inget ändrat.")
