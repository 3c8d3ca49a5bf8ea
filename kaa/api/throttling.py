"""Rate limits per API token (docs/api.md): a leaked or looping client cannot flood."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """``rate_setting`` names the setting, e.g. ``"120/m"``; read on every call (tests change it)."""

    scope = "token"

    def __init__(self, rate_setting: str) -> None:
        self.rate_setting = rate_setting
        super().__init__(rate=getattr(settings, rate_setting))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.rate_setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is None:
            return None
        return f"kaa:throttle:{self.rate_setting}:{token.pk}"
