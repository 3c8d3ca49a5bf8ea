from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.models import ApiToken, User


class Command(BaseCommand):
    help = "Skapa en API-nyckel för en användare. Skriver bara ut nyckeln på stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=ApiToken.DEFAULT_DAYS,
            help=f"Hur många dagar nyckeln gäller (standard {ApiToken.DEFAULT_DAYS}).",
        )

    def handle(self, *args: object, username: str, days: int, **options: object) -> None:
        if days < 1:
            raise CommandError("--days måste vara minst 1.")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Ingen aktiv användare heter {username}.")
        _token, key = ApiToken.issue(user, days=days)
        self.stdout.write(key)
