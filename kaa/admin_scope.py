"""Scoped administration (docs/domain.md, data protection).

- The ``admin`` role (staff, not superuser) administers its OWN municipality in
  the admin site: users, roles, settings, API tokens and jobs of that
  municipality, and nothing of another.
- The site-wide superuser is for installation: it sees no register data
  (young people, enrolments, contact attempts, plans, …) in the admin site.
- Every change made in the admin site is in its history (Django's admin log,
  and django-simple-history where the model keeps one).

``scope_admin_site`` wraps every registered ModelAdmin (of every app, also
ones added later) in ``ScopedAdminMixin``, so no app has to remember it.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from registry.models import Role, User

# Models that carry no personal data of young people: the superuser sees them all,
# a municipality's admin those of its own municipality (by the path given).
ADMINISTRATIVE = {
    "registry.municipality": "pk",
    "registry.user": "municipality",
    "registry.apitoken": "user__municipality",
    "casework.routinesettings": "municipality",
    "casework.actor": "municipality",
    "followup.retentionpolicy": "municipality",
    "followup.jobrun": "municipality",
}
# Administrative models without a municipality: the superuser only.
INSTALLATION_ONLY_APPS = {"auth", "axes", "sites", "django_celery_beat", "otp_totp", "otp_static"}
# Register models a municipality's admin may READ (read-only, access-logged where the
# ModelAdmin does so); all other register models are hidden from every admin.
PROJECT_PACKAGES = {"kaa", "registry", "casework", "followup", "reports"}
REGISTER_READABLE = {"registry.youth", "registry.enrolment", "registry.accesslog"}


def model_key(model: type[models.Model]) -> str:
    return model._meta.label_lower


def municipality_path(model: type[models.Model]) -> str | None:
    key = model_key(model)
    if key in ADMINISTRATIVE:
        return ADMINISTRATIVE[key]
    lookup = getattr(model, "municipality_lookup", None)
    if lookup:
        return lookup
    field_names = {field.name for field in model._meta.get_fields()}
    if "municipality" in field_names:
        return "municipality"
    return None


def _user(request: HttpRequest) -> User:
    # The admin site lets in only signed-in staff (AdminSite.has_permission), so the
    # user is the project's User; ModelAdmin's methods are typed with a plain HttpRequest.
    return cast(User, request.user)


def is_municipality_admin(user: Any) -> bool:
    return bool(
        user.is_active
        and user.is_staff
        and getattr(user, "role", None) == Role.ADMIN
        and getattr(user, "municipality_id", None)
    )


class ScopedAdminMixin:
    model: type[models.Model]

    # --- what kind of model ---

    def _kind(self) -> str:
        key = model_key(self.model)
        if key in ADMINISTRATIVE:
            return "administrative"
        if self.model._meta.app_label in INSTALLATION_ONLY_APPS:
            return "installation"
        return "register"

    def _admin_may_see(self, request: HttpRequest) -> bool:
        if not is_municipality_admin(request.user):
            return False
        kind = self._kind()
        if kind == "administrative":
            return True
        if kind == "register":
            return model_key(self.model) in REGISTER_READABLE and bool(
                municipality_path(self.model)
            )
        return False

    def _superuser_may_see(self, request: HttpRequest) -> bool:
        return bool(_user(request).is_superuser) and self._kind() != "register"

    def _may_see(self, request: HttpRequest) -> bool:
        return self._admin_may_see(request) or self._superuser_may_see(request)

    def _may_write(self, request: HttpRequest) -> bool:
        if self._superuser_may_see(request):
            return True
        return self._admin_may_see(request) and self._kind() == "administrative"

    # --- the queryset ---

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if self._superuser_may_see(request) and not is_municipality_admin(request.user):
            return queryset
        if self._admin_may_see(request):
            path = municipality_path(self.model)
            if path == "pk":
                return queryset.filter(pk=_user(request).municipality_id)
            return queryset.filter(**{f"{path}_id": _user(request).municipality_id})
        return queryset.none()

    # --- permissions: by role, not by Django's per-model permissions ---

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_see(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_see(request) and self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            self._may_write(request)
            and self._in_scope(request, obj)
            and self._own("change", request, obj)
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may_write(request) and self._own("add", request, *args)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            self._may_write(request)
            and self._in_scope(request, obj)
            and self._own("delete", request, obj)
        )

    def _own(self, action: str, request: HttpRequest, *args: Any) -> bool:
        """The project's own ModelAdmin refusals (a read-only register, no adding of tokens)
        still hold; Django's per-model permission check is replaced by the role above."""
        name = f"has_{action}_permission"
        for klass in type(self).__mro__:
            if klass in (type(self), ScopedAdminMixin):
                continue
            if klass.__module__.split(".")[0] in PROJECT_PACKAGES and name in vars(klass):
                return bool(vars(klass)[name](self, request, *args))
        return True


def scope_admin_site(site: admin.AdminSite) -> None:
    """Wrap every registered ModelAdmin in ScopedAdminMixin (idempotent)."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, ScopedAdminMixin):
            continue
        scoped = type(
            f"Scoped{type(model_admin).__name__}", (ScopedAdminMixin, type(model_admin)), {}
        )
        site.unregister(model)
        site.register(model, scoped)
