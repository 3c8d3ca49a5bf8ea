from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from registry.permissions import MANAGER_ROLES, REPORT_ROLES, role_required


@role_required(*MANAGER_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/dashboard.html")


@role_required(*REPORT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html")
