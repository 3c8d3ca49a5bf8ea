from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from registry.permissions import CASE_ROLES, role_required


@role_required(*CASE_ROLES)
def worklist(request: HttpRequest) -> HttpResponse:
    return render(request, "casework/worklist.html", {"items": []})
