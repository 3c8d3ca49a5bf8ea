from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.services import region_ensure
from registry.system import system_user


class Command(BaseCommand):
    help = "Lägg till en region eller ändra dess kommuner (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "--municipalities", required=True, help="Kommunkoder, kommaseparerade: 1480,1481"
        )

    def handle(self, *args: object, **options: str) -> None:
        try:
            region, outcome = region_ensure(
                name=options["name"],
                municipality_codes=options["municipalities"].split(","),
                acting_user=system_user,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        count = region.municipalities.count()
        if outcome.created:
            self.stdout.write(
                self.style.SUCCESS(f"Regionen {region.name} är skapad ({count} kommuner).")
            )
        elif outcome.changed:
            self.stdout.write(f"Regionen {region.name} är uppdaterad ({count} kommuner).")
        else:
            self.stdout.write(f"Regionen {region.name} fanns redan; inget ändrat.")
