"""Bearer tokens (API.md, Access): a token acts as its user; only its hash is stored."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from registry.models import ApiToken, Role

from .errors import forbidden


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = (
            ApiToken.objects.select_related("user", "user__municipality")
            .filter(
                key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True
            )
            .first()
        )
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


def require_role(request: HttpRequest, *roles: str) -> None:
    """403 unless the token's user has one of ``roles``."""
    if request.user.role not in roles:  # type: ignore[union-attr]
        raise forbidden()


CASE_ROLES = (Role.COORDINATOR, Role.MANAGER)
