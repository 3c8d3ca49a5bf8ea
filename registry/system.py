"""The system user the jobs act as, so history records who made an automatic change."""

from __future__ import annotations

from .models import Role, User

SYSTEM_USERNAME = "kaa-system"


def system_user() -> User:
    """An inactive account without municipality: it cannot log in and sees no records."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "role": Role.ADMIN,
            "first_name": "KAA",
            "last_name": "(automatiskt jobb)",
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
