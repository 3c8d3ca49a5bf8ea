"""Role checks for views. Scoping by municipality is in the querysets (``for_user``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from .http import KaaRequest
from .models import Role

CASE_ROLES = (Role.COORDINATOR, Role.MANAGER)
MANAGER_ROLES = (Role.MANAGER,)
REPORT_ROLES = (Role.MANAGER, Role.BOARD_SECRETARY)


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Log in first, then 403 unless the user has one of ``roles``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: KaaRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.role not in roles or request.user.municipality_id is None:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
