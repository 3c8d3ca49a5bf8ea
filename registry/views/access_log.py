"""The access log, for managers: per young person and per user."""

from __future__ import annotations

from typing import cast

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..models import User, Youth
from ..permissions import MANAGER_ROLES, role_required

PAGE_SIZE = 100


@role_required(*MANAGER_ROLES)
def access_log_users(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/access_log_users.html",
        {"rows": selectors.access_log_users(user=request.user)},  # type: ignore[arg-type]
    )


@role_required(*MANAGER_ROLES)
def access_log_youth(request: HttpRequest, pk: int) -> HttpResponse:
    youth = Youth.objects.visible_to(request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if youth is None:
        raise Http404
    rows = selectors.access_log_for_youth(user=request.user, youth=youth)  # type: ignore[arg-type]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/access_log_youth.html", {"youth": youth, "page": page})


@role_required(*MANAGER_ROLES)
def access_log_user(request: HttpRequest, pk: int) -> HttpResponse:
    rows = selectors.access_log_for_user(user=request.user, subject_id=pk)  # type: ignore[arg-type]
    subject = User.objects.filter(pk=pk).first()
    viewer = cast(User, request.user)
    in_municipality = subject is not None and subject.municipality_id == viewer.municipality_id
    if subject is None or not (in_municipality or rows.exists()):
        raise Http404
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/access_log_user.html", {"subject": subject, "page": page})
