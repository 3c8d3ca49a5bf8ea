from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.models import Role
from registry.services import user_ensure
from registry.system import system_user


class Command(BaseCommand):
    help = "Lägg till eller uppdatera en användare med roll och kommun (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=f"En av: {', '.join(Role.values)}")
        parser.add_argument("--municipality", help="Kommunens SCB-kod, t.ex. 0682")
        parser.add_argument("--region", help="Regionens namn (för rollen regional_analyst)")
        parser.add_argument("--password", help="Lösenord (utelämna för att behålla det nuvarande)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: object, **options: str) -> None:
        try:
            user, outcome = user_ensure(
                username=options["username"],
                role=options["role"],
                municipality_code=options["municipality"],
                password=options["password"],
                region_name=options["region"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                acting_user=system_user,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if outcome.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Användaren {user.username} är skapad ({user.get_role_display()})."
                )
            )
        elif outcome.changed:
            self.stdout.write(f"Användaren {user.username} är uppdaterad.")
        else:
            self.stdout.write(f"Användaren {user.username} fanns redan; inget ändrat.")
