"""The mapping (kartläggning) of a young person's situation, which leads into the plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from registry.access_log import access_log_read
from registry.http import KaaRequest
from registry.permissions import CASE_ROLES, role_required

from ..forms.plans import MappingForm
from ..selectors import plans as selectors
from ..services import plans as services
from .plans import save_versioned


@role_required(*CASE_ROLES)
def mapping_page(request: KaaRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_plan(user=request.user, pk=pk)
    mapping = selectors.mapping_of(enrolment)
    initial = {"version": 0}
    if mapping is not None:
        initial = {field: getattr(mapping, field) for field in services.MAPPING_FIELDS}
        initial["version"] = mapping.version
    form = MappingForm(request.POST or None, initial=initial)
    stale = None
    status = 200
    if request.method == "POST" and form.is_valid():
        form, stale, status, saved = save_versioned(  # type: ignore[assignment]
            request,
            form,
            lambda: services.mapping_save(
                user=request.user,
                enrolment=enrolment,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Kartläggningen är sparad."))
            return redirect("casework:plan", pk=enrolment.pk)
    elif request.method == "GET":
        access_log_read(request, enrolment.youth)
    return render(
        request,
        "casework/plan_mapping.html",
        {"enrolment": enrolment, "youth": enrolment.youth, "form": form, "stale": stale},
        status=status,
    )
