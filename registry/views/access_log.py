"""The access log, for managers: per young person and per user."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..http import KaaRequest
from ..models import Role, User, Youth
from ..permissions import MANAGER_ROLES, role_required

PAGE_SIZE = 100


@role_required(*MANAGER_ROLES)
def access_log_users(request: KaaRequest) -> HttpResponse:
    return render(
        request,
        "registry/access_log_users.html",
        {"rows": selectors.access_log_users(user=request.user)},
    )


@role_required(*MANAGER_ROLES)
def access_log_youth(request: KaaRequest, pk: int) -> HttpResponse:
    youth = Youth.objects.visible_to(request.user).filter(pk=pk).first()
    if youth is None:
        raise Http404
    rows = selectors.access_log_for_youth(user=request.user, youth=youth)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/access_log_youth.html", {"youth": youth, "page": page})


@role_required(*MANAGER_ROLES)
def access_log_user(request: KaaRequest, pk: int) -> HttpResponse:
    rows = selectors.access_log_for_user(user=request.user, subject_id=pk)
    subject = User.objects.filter(pk=pk).first()
    viewer = request.user
    in_municipality = subject is not None and subject.municipality_id == viewer.municipality_id
    if subject is None or not (in_municipality or rows.exists()):
        raise Http404
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/access_log_user.html", {"subject": subject, "page": page})


@role_required(Role.MANAGER, Role.ADMIN)
def sign_in_failures(request: KaaRequest) -> HttpResponse:
    """Failed password sign-ins and lockouts of the municipality's users (django-axes)."""
    from axes.models import AccessAttempt, AccessFailureLog

    # role_required lets in only users with a municipality.
    municipality_id = cast(int, request.user.municipality_id)
    usernames = list(
        User.objects.filter(municipality_id=municipality_id).values_list("username", flat=True)
    )
    cooloff = settings.AXES_COOLOFF_TIME
    since = timezone.now() - cooloff
    current = []
    for attempt in AccessAttempt.objects.filter(
        username__in=usernames, attempt_time__gte=since
    ).order_by("-attempt_time"):
        locked = attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
        current.append(
            {
                "username": attempt.username,
                "ip_address": attempt.ip_address,
                "failures": attempt.failures_since_start,
                "last": attempt.attempt_time,
                "locked_until": attempt.attempt_time + cooloff if locked else None,
            }
        )
    failures = AccessFailureLog.objects.filter(username__in=usernames).order_by("-attempt_time")
    page = Paginator(failures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/sign_in_failures.html",
        {"current": current, "page": page, "limit": settings.AXES_FAILURE_LIMIT},
    )
