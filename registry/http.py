"""The request a signed-in view receives, typed for mypy (docs/architecture.md, "Types").

``HttpRequest.user`` is ``User | AnonymousUser``; behind ``login_required`` /
``role_required`` (and behind the API's authentication) it is always the project's
``User``. Views annotate ``request: KaaRequest`` instead of casting or ignoring at
every use. The class is never instantiated: Django still passes its own request
object, which the middleware has given these attributes. It lives in ``registry``,
the bottom layer, so every app may import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import User


class KaaRequest(HttpRequest):
    # django.contrib.auth's AuthenticationMiddleware: signed in behind the decorators.
    user: User
    # django_htmx.middleware.HtmxMiddleware: falsy unless htmx made the request.
    htmx: HtmxDetails
