from django.apps import AppConfig


class KaaConfig(AppConfig):
    """Holds project-wide management commands (seed_demo) and the session clock."""

    name = "kaa"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .signin import start_session_clock
        from .twofactor import remember_requirement

        user_logged_in.connect(start_session_clock, dispatch_uid="kaa.start_session_clock")
        user_logged_in.connect(remember_requirement, dispatch_uid="kaa.two_factor_requirement")
