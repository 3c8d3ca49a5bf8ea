"""The reports start page of board secretaries and managers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from registry.permissions import REPORT_ROLES, role_required


@role_required(*REPORT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html")
