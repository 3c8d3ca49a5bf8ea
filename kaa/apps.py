from django.apps import AppConfig


class KaaConfig(AppConfig):
    """Holds project-wide management commands (seed_demo)."""

    name = "kaa"
    default_auto_field = "django.db.models.BigAutoField"
