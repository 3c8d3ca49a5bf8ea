from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from registry import hooks

        from . import signals  # noqa: F401  (connects the receivers)
        from .selectors.youth_list import contact_established_on

        # The register's youth list shows whether contact is established (docs/architecture.md).
        hooks.contact_established_on_provide(contact_established_on)
