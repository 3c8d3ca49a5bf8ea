"""The one scoping mechanism: every selector starts from ``Model.objects.for_user(user)``.

A model declares the lookup path from itself to its municipality in
``municipality_lookup``; ``for_user`` keeps only the rows of the user's
municipality. A user without a municipality sees nothing (admins manage
municipalities through the admin site, not through the case pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from .user import User

_M = TypeVar("_M", bound=models.Model)


class MunicipalityScopedQuerySet(models.QuerySet[_M]):
    def municipality_lookup(self) -> str:
        return getattr(self.model, "municipality_lookup", "municipality")

    def for_municipality(self, municipality: Any) -> Self:
        return self.filter(**{self.municipality_lookup(): municipality})

    def for_user(self, user: User) -> Self:
        if not user.is_authenticated or user.municipality_id is None:
            return self.none()
        return self.filter(**{f"{self.municipality_lookup()}_id": user.municipality_id})
