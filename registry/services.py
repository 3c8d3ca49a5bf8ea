"""Writes of the registry app: municipalities, users, young people, enrolments."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Municipality, Role, User
from .models.municipality import scb_code_validator


@dataclass(frozen=True)
class Outcome:
    created: bool
    changed: bool


@transaction.atomic
def municipality_ensure(*, code: str, name: str) -> tuple[Municipality, Outcome]:
    """Create the municipality, or rename it; running it again changes nothing."""
    scb_code_validator(code)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Ange kommunens namn.")]})
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        municipality = Municipality(code=code, name=name)
        municipality.full_clean()
        municipality.save()
        return municipality, Outcome(created=True, changed=True)
    if municipality.name != name:
        municipality.name = name
        municipality.save(update_fields=["name"])
        return municipality, Outcome(created=False, changed=True)
    return municipality, Outcome(created=False, changed=False)


@transaction.atomic
def user_ensure(
    *,
    username: str,
    role: str,
    municipality_code: str | None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, Outcome]:
    """Create or update a user with a role and a municipality (idempotent)."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": [
                    _("Okänd roll %(role)s. Välj en av: %(roles)s.")
                    % {"role": role, "roles": ", ".join(Role.values)}
                ]
            }
        )
    municipality = None
    if municipality_code:
        municipality = Municipality.objects.filter(code=municipality_code).first()
        if municipality is None:
            raise ValidationError(
                {
                    "municipality": [
                        _(
                            "Ingen kommun med koden %(code)s. Lägg till den först med add_municipality."
                        )
                        % {"code": municipality_code}
                    ]
                }
            )
    elif role != Role.ADMIN:
        raise ValidationError(
            {"municipality": [_("Rollen %(role)s kräver en kommun.") % {"role": role}]}
        )

    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    before = (user.role, user.municipality_id, user.first_name, user.last_name, user.is_staff)
    user.role = role
    user.municipality = municipality
    user.first_name = first_name or user.first_name
    user.last_name = last_name or user.last_name
    user.is_staff = user.is_superuser = role == Role.ADMIN
    password_changed = bool(password) and not user.check_password(password)
    if password_changed:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    after = (user.role, user.municipality_id, user.first_name, user.last_name, user.is_staff)
    changed = created or password_changed or before != after
    if changed:
        user.save()
    return user, Outcome(created=created, changed=changed)
