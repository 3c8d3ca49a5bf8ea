"""Sign-in protection (docs/domain.md, data protection): the throttle's Swedish answer and
the session limits.

django-axes counts failed password sign-ins per user name and per user name +
address (never per address alone: one office behind one address must not lock
everyone out). After ``AXES_FAILURE_LIMIT`` failures within ``AXES_COOLOFF_TIME``
that user name is refused for ``AXES_COOLOFF_TIME``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    """The login page again, 429, with a message a person can act on."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    message = _(
        "För många misslyckade inloggningar med det här användarnamnet. Inloggningen är "
        "spärrad i %(minutes)s minuter. Kontakta din verksamhetsansvarige eller "
        "administratör om du behöver komma in tidigare."
    ) % {"minutes": cooloff_minutes()}
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout_message": message, "next": request.POST.get("next", "")},
        status=429,
    )


SIGNED_IN_AT = "kaa_signed_in_at"
LAST_SEEN = "kaa_last_seen"
# Write the last activity at most this often (seconds): not a session save per click.
LAST_SEEN_RESOLUTION = 60


def start_session_clock(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """At sign-in: the absolute and idle limits count from now (user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Sign out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and after
    ``SESSION_COOKIE_AGE`` seconds in all (the absolute limit), whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        session = request.session
        now = int(time.time())
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        if signed_in_at is None or last_seen is None:
            session[SIGNED_IN_AT] = signed_in_at or now
            session[LAST_SEEN] = now
        elif (
            now - last_seen > settings.SESSION_IDLE_TIMEOUT
            or now - signed_in_at > settings.SESSION_COOKIE_AGE
        ):
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            logout(request)
            messages.info(
                request,
                _("Du har loggats ut efter %(minutes)s minuter utan aktivitet. Logga in igen.")
                % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
                if idle
                else _("Inloggningen har gått ut. Logga in igen."),
            )
            response: HttpResponse = redirect_to_login(request.get_full_path())
            if request.headers.get("HX-Request"):
                # An htmx request would swap the login page into a part of the page.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = redirect_to_login(request.get_full_path())["Location"]
            return response
        elif now - last_seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN] = now
        return self.get_response(request)
