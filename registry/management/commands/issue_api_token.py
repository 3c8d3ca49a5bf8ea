from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.models import ApiToken, User


class Command(BaseCommand):
    help = "Skapa en API-nyckel för en användare. Skriver bara ut nyckeln på stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, username: str, **options: object) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Ingen aktiv användare heter {username}.")
        _token, key = ApiToken.issue(user)
        self.stdout.write(key)
