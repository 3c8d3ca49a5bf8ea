"""Two-factor sign-in with TOTP (docs/domain.md, data protection), built on django-otp.

Managers and admins of a municipality that requires it (``Municipality.require_two_factor``)
give a one-time code from an authenticator app after their password. The first
time they enrol: a QR code (and the secret as text), one code to confirm, and
ten recovery codes (django-otp's static device), shown once, each usable once.

Whether the second step is required is decided at sign-in and kept in the
session (no query per page); a changed setting applies from the next sign-in.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.http import KaaRequest
from registry.models import Role

REQUIRED_KEY = "kaa_two_factor_required"
ROLES = (Role.MANAGER, Role.ADMIN)
RECOVERY_CODES = 10
EXEMPT_PREFIXES = ("/static/", "/api/", "/i18n/", "/jsi18n/", "/healthz", "/oidc/")


def required_for(user: Any) -> bool:
    municipality = getattr(user, "municipality", None)
    return bool(
        getattr(user, "role", None) in ROLES
        and municipality is not None
        and municipality.require_two_factor
    )


def remember_requirement(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """user_logged_in: decide once per sign-in whether the second step is needed."""
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_KEY] = required_for(user)


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("two_factor_verify"),
        reverse("two_factor_enrol"),
        reverse("logout"),
        reverse("login"),
    )


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(REQUIRED_KEY)
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.path not in _exempt_paths()
        ):
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = reverse("two_factor_verify" if has_device else "two_factor_enrol")
            return redirect(f"{target}?next={request.path}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _for_two_factor_roles(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in ROLES:
        raise PermissionDenied


@login_required
def verify(request: KaaRequest) -> HttpResponse:
    """The second step: a code from the app, or one of the recovery codes."""
    _for_two_factor_roles(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        device = match_token(request.user, code)
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök "
                "igen, eller använd en av dina återställningskoder."
            ),
        )
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
def enrol(request: KaaRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, confirm one code, keep the recovery codes."""
    _for_two_factor_roles(request)
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(reverse("two_factor_verify"))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Autentiseringsapp"), confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(request.user)
            otp_login(request, device)
            return render(
                request,
                "registration/two_factor_recovery.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code",
            _("Koden stämmer inte. Skanna QR-koden igen och skriv in koden som appen visar nu."),
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device.config_url)),  # our own SVG, no user input
            "secret": secret,
            "next": _next_url(request),
        },
    )


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Återställningskoder"))
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
