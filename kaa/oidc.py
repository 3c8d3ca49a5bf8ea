"""Single sign-on with the municipality's identity provider over OpenID Connect
(docs/domain.md, data protection), built on mozilla-django-oidc.

Configured by environment variables (see .env.example); off when
``OIDC_RP_CLIENT_ID`` is unset: the sign-in routes answer 404 and the backend
authenticates no one. A verified claim (``OIDC_USERNAME_CLAIM``: the user name
in ``preferred_username`` by default, or ``email``, which must then carry
``email_verified: true``) is mapped to an EXISTING active user; no user is ever
created from a sign-in, so no one gets a role on the provider's word alone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class ExistingUserOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.enabled = enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not self.enabled:
            return None
        return super().authenticate(request, **kwargs)

    @staticmethod
    def claim_name() -> str:
        return settings.OIDC_USERNAME_CLAIM

    def verify_claims(self, claims: dict) -> bool:
        value = claims.get(self.claim_name())
        if not isinstance(value, str) or not value:
            return False
        if self.claim_name() == "email":
            return claims.get("email_verified") is True
        return True

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict:
        info = super().get_userinfo(access_token, id_token, payload)
        # The user info must describe the person the signed ID token names.
        if info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("OIDC userinfo sub differs from the ID token")
        return info

    def filter_users_by_claims(self, claims: dict) -> Any:
        value = claims.get(self.claim_name(), "")
        users = self.UserModel.objects.filter(is_active=True)
        if self.claim_name() == "email":
            return users.filter(email__iexact=value)
        return users.filter(username=value)

    def describe_user_by_claims(self, claims: dict) -> str:
        return f"the claim {self.claim_name()}"  # no value: the log carries no personal data

    def create_user(self, claims: dict) -> Any:
        raise SuspiciousOperation("OIDC never creates users")


def _require_enabled() -> None:
    if not enabled():
        raise Http404


def authenticate_view(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


def callback_view(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)


class KaaLoginView(LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = enabled()
        if self.request.GET.get("sso") == "misslyckades":
            context["sso_failed"] = _(
                "Inloggningen via kommunens inloggningstjänst gav ingen användare i KAA. "
                "Be din administratör lägga upp dig med samma användarnamn."
            )
        return context
