"""Bearer tokens (docs/api.md, "Access"): a token acts as its user; only its hash is stored."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from registry.models import ApiToken, Role, User

from .errors import ApiError, forbidden


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
        now = timezone.now()
        if api_token.is_expired:
            raise ApiError(
                401, _("API-nyckeln har gått ut. Be kommunens administratör om en ny nyckel.")
            )
        # The last use is shown to the municipality's admin (the admin site's token list).
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        if not _role_may_call(api_token.user.role, request.method or "", _api_path(request)):
            # Raised here, before the body is read: a refused role gets 403, not field errors.
            raise forbidden()
        return api_token.user


def _api_path(request: HttpRequest) -> str:
    return request.path.removeprefix(reverse("api-v1:api-root"))


def _role_may_call(role: str, method: str, path: str) -> bool:
    """docs/api.md, "Access": a board_secretary reads only /reports/…; a school token only posts
    school notifications. Every role may ask who its token acts as (``me``)."""
    if path == "me":
        return True
    if role == Role.BOARD_SECRETARY:
        return method == "GET" and path.startswith("reports/")
    if role == Role.REGIONAL_ANALYST:
        return method == "GET" and path == "reports/regional/"
    if role == Role.SCHOOL:
        return method == "POST" and path == "school-notifications/"
    return True


def require_role(request: HttpRequest, *roles: str) -> None:
    """403 unless the token's user has one of ``roles``."""
    # BearerTokenAuth has set the token's user before any endpoint runs.
    if cast(User, request.user).role not in roles:
        raise forbidden()


CASE_ROLES = (Role.COORDINATOR, Role.MANAGER)
