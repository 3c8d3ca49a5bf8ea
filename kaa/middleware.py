"""Swedish first: the interface language is Swedish unless the user picked English."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    """Activate the language chosen with Django's set_language view, else LANGUAGE_CODE.

    Unlike LocaleMiddleware it ignores the browser's Accept-Language: a
    municipality's staff get the Swedish interface on any computer, and
    English only when they choose it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class MethodNotAllowedPageMiddleware:
    """Answer a browser's wrong-method request with a Swedish page, not an empty 405.

    Django's ``require_POST`` answers an empty body, which the browser shows
    as its own English error. The API keeps its JSON answers (``/api/``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not request.path.startswith("/api/")
        ):
            page = render(request, "405.html", status=405)
            if "Allow" in response.headers:
                page.headers["Allow"] = response.headers["Allow"]
            return page
        return response
