"""The one NinjaAPI instance: error handlers, auth, and each app's router."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    Throttled,
    ValidationError,
)

from casework.api.plans import router as plans_router
from registry.http import KaaRequest

from .auth import BearerTokenAuth
from .errors import NON_FIELD, ApiError
from .openapi import declare_error_statuses


class KaaApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        # docs/api.md: the document declares every status each operation can answer.
        return declare_error_statuses(super().get_openapi_schema(*args, **kwargs))


api = KaaApi(
    title="KAA API",
    version="1",
    description="Integrations-API för det kommunala aktivitetsansvaret (docs/api.md).",
    auth=BearerTokenAuth(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _errors(request: HttpRequest, status: int, errors: dict[str, list[str]]) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _errors(request, exc.status, exc.errors)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc is e.g. ("body", "payload", "registered_on") or ("query", "as_of").
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        field = location[-1] if location else NON_FIELD
        errors.setdefault(field, []).append(_translate_pydantic(error))
    return _errors(request, 400, errors)


def _translate_pydantic(error: dict) -> str:
    """Pydantic's English messages in the Swedish a person can act on."""
    kind = error.get("type", "")
    context = error.get("ctx", {}) or {}
    if kind == "missing":
        return _("Fältet måste fyllas i.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Ange ett datum som ÅÅÅÅ-MM-DD.")
    if kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
        return _("Ange ett tal.")
    if kind.startswith("bool"):
        return _("Ange true eller false.")
    if kind in ("enum", "literal_error"):
        expected = str(context.get("expected", "")).replace(" or ", " eller ")
        return _("Ogiltigt val. Använd en av: %(codes)s.") % {"codes": expected}
    if kind == "string_too_long":
        return _("Högst %(max)s tecken.") % {"max": context.get("max_length", "")}
    if kind == "string_too_short":
        return _("Fältet måste fyllas i.")
    if kind.startswith("string") or kind == "str_type":
        return _("Ange en text.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Värdet är för litet.")
    if kind in ("less_than_equal", "less_than"):
        return _("Värdet är för stort.")
    if kind in ("model_attributes_type", "dict_type", "model_type", "json_invalid", "json_type"):
        return _("Skicka ett JSON-objekt med fälten i API-beskrivningen.")
    if kind == "value_error":
        # Our own validators raise ValueError with a Swedish message.
        return str(context.get("error", error.get("msg", ""))) or _("Ogiltigt värde.")
    return _("Ogiltigt värde.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _errors(request, 401, {NON_FIELD: [_("Saknad eller ogiltig API-nyckel.")]})


@api.exception_handler(AuthorizationError)
def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _errors(request, 403, {NON_FIELD: [_("Din roll har inte behörighet till detta.")]})


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _errors(request, 404, {NON_FIELD: [_("Hittades inte.")]})


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _errors(
        request, 429, {NON_FIELD: [_("För många anrop. Vänta en stund och försök igen.")]}
    )
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # django-ninja raises this for a body that is not valid JSON.
        message = _(
            "Begäran kunde inte läsas. Skicka giltig JSON med Content-Type: application/json."
        )
    else:
        message = str(exc)
    return _errors(request, exc.status_code, {NON_FIELD: [message]})


@api.get("/me", tags=["access"], summary="Who the token acts as")
def me(request: KaaRequest) -> dict:
    user = request.user
    return {
        "username": user.username,
        "role": user.role,
        "municipality": user.municipality.code if user.municipality else None,
    }


from registry.api import router as registry_router  # noqa: E402

api.add_router("/", registry_router)
api.add_router("/", "registry.api_moves.router")
api.add_router("/enrolments", "casework.api.contacts.router")
api.add_router("/worklist", "casework.api.worklist.router")
api.add_router("", plans_router)
api.add_router("/reports/", "reports.api.router")
api.add_router("/reports/", "reports.api_regional.router")

urlpatterns = api.urls
