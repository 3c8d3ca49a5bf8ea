"""The individual plan: the plan page, its measures, the list of plans and the plan PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.access_log import access_log_read
from registry.forms import add_service_errors
from registry.http import KaaRequest
from registry.models import AccessLog, Enrolment
from registry.permissions import CASE_ROLES, role_required
from registry.services import occupation_record

from ..completeness import checklist
from ..forms.plans import (
    MeasureEndForm,
    MeasureForm,
    OccupationForm,
    PlanForm,
    VersionedForm,
)
from ..plan_pdf import plan_pdf_render
from ..selectors import plans as selectors
from ..services import plans as services


def _display(instance: Any, field: str) -> str:
    value = getattr(instance, field)
    display = getattr(instance, f"get_{field}_display", None)
    if display is not None and value:
        return str(display())
    if value in (None, ""):
        return "–"
    return str(value)


def stale_context(form: VersionedForm, error: services.StaleVersion) -> dict[str, Any]:
    """What the other person saved, to show beside the user's own kept text."""
    values = [
        (form.fields[field].label, _display(error.current, field), field in error.changed_fields)
        for field in error.fields
        if field in form.fields
    ]
    changed_by = error.changed_by
    return {
        "changed_by": (changed_by.get_full_name() or changed_by.username) if changed_by else "",
        "values": values,
    }


def handle_stale(
    request: HttpRequest, form: VersionedForm, error: services.StaleVersion
) -> tuple[VersionedForm, dict[str, Any]]:
    """Keep the user's text, base it on the current version, and say what happened."""
    messages.error(
        request,
        _(
            "Någon annan har sparat ändringar medan du skrev. Ingenting har skrivits över: "
            "din text finns kvar i formuläret. Jämför med det som sparades och spara igen "
            "om din text ska gälla."
        ),
    )
    return form.with_version(error.current_version), stale_context(form, error)


def save_versioned(
    request: HttpRequest, form: VersionedForm, save: Callable[[], object]
) -> tuple[VersionedForm, dict[str, Any] | None, int, bool]:
    """Call a versioned write; answer (form, stale, status, saved) for the page.

    A stale version answers 409 with the user's text kept; the service's
    refusals become form errors.
    """
    try:
        save()
    except services.StaleVersion as error:
        form, stale = handle_stale(request, form, error)
        return form, stale, 409, False
    except ValidationError as error:
        add_service_errors(form, error)
        return form, None, 200, False
    return form, None, 200, True


def _plan_page_context(
    enrolment: Enrolment,
    *,
    plan_form: PlanForm | None = None,
    stale: Any = None,
    occupation_form: OccupationForm | None = None,
) -> dict[str, Any]:
    plan = selectors.plan_of(enrolment)
    today = timezone.localdate()
    if plan_form is None:
        plan_form = PlanForm(
            initial={
                "version": plan.version if plan else 0,
                "goal": plan.goal if plan else "",
                "planning": plan.planning if plan else "",
            }
        )
    return {
        "enrolment": enrolment,
        "youth": enrolment.youth,
        "plan": plan,
        "mapping": selectors.mapping_of(enrolment),
        "measures": list(plan.measures.all()) if plan else [],
        "checklist": checklist(selectors.facts_from_plan(plan), today=today),
        "missing": selectors.plan_missing(enrolment, today=today),
        "plan_form": plan_form,
        "stale": stale,
        "today": today,
        "occupations": selectors.recent_occupations(enrolment),
        "occupation_form": occupation_form
        or OccupationForm(initial={"from_date": today, "extent_percent": 100}),
    }


@role_required(*CASE_ROLES)
def plan_page(request: KaaRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_plan(user=request.user, pk=pk)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_save(user=request.user, enrolment=enrolment, **form.cleaned_data)
            except services.StaleVersion as error:
                form, stale = handle_stale(request, form, error)  # type: ignore[assignment]
                enrolment = selectors.enrolment_for_plan(user=request.user, pk=pk)
                context = _plan_page_context(enrolment, plan_form=form, stale=stale)
                return render(request, "casework/plan.html", context, status=409)
            except ValidationError as error:
                add_service_errors(form, error)
                return render(
                    request, "casework/plan.html", _plan_page_context(enrolment, plan_form=form)
                )
            messages.success(request, _("Planen är sparad."))
            return redirect("casework:plan", pk=enrolment.pk)
        return render(request, "casework/plan.html", _plan_page_context(enrolment, plan_form=form))
    access_log_read(request, enrolment.youth)
    return render(request, "casework/plan.html", _plan_page_context(enrolment))


@role_required(*CASE_ROLES)
def plan_list(request: KaaRequest) -> HttpResponse:
    only_missing = request.GET.get("saknas") == "1"
    rows = selectors.plan_rows(
        user=request.user,
        today=timezone.localdate(),
        only_missing=only_missing,
    )
    return render(request, "casework/plan_list.html", {"rows": rows, "only_missing": only_missing})


def _measure_initial(measure: Any) -> dict[str, Any]:
    return {field: getattr(measure, field) for field in services.MEASURE_FIELDS} | {
        "version": measure.version
    }


@role_required(*CASE_ROLES)
def measure_create(request: KaaRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_plan(user=request.user, pk=pk)
    actors = selectors.actors_for_choice(municipality_id=enrolment.municipality_id)
    form = MeasureForm(request.POST or None, actors=actors, initial={"version": 1})
    if request.method == "GET":
        access_log_read(request, enrolment.youth)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields.pop("version")
        try:
            services.plan_measure_add(user=request.user, enrolment=enrolment, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Insatsen är tillagd."))
            return redirect("casework:plan", pk=enrolment.pk)
    return render(
        request,
        "casework/plan_measure_form.html",
        {"enrolment": enrolment, "youth": enrolment.youth, "form": form, "measure": None},
    )


@role_required(*CASE_ROLES)
def measure_edit(request: KaaRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_for_user(user=request.user, pk=pk)
    enrolment = measure.plan.enrolment
    actors = selectors.actors_for_choice(
        municipality_id=enrolment.municipality_id, keep=measure.actor
    )
    form = MeasureForm(request.POST or None, actors=actors, initial=_measure_initial(measure))
    stale = None
    status = 200
    if request.method == "GET":
        access_log_read(request, enrolment.youth)
    if request.method == "POST" and form.is_valid():
        fields = {field: value for field, value in form.cleaned_data.items() if field != "version"}
        form, stale, status, saved = save_versioned(  # type: ignore[assignment]
            request,
            form,
            lambda: services.measure_update(
                user=request.user,
                measure=measure,
                version=form.cleaned_data["version"],
                **fields,
            ),
        )
        if saved:
            messages.success(request, _("Insatsen är sparad."))
            return redirect("casework:plan", pk=enrolment.pk)
    return render(
        request,
        "casework/plan_measure_form.html",
        {
            "enrolment": enrolment,
            "youth": enrolment.youth,
            "form": form,
            "measure": measure,
            "stale": stale,
        },
        status=status,
    )


@role_required(*CASE_ROLES)
def measure_end(request: KaaRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_for_user(user=request.user, pk=pk)
    enrolment = measure.plan.enrolment
    form = MeasureEndForm(
        request.POST or None,
        initial={
            "version": measure.version,
            "ended_on": measure.ended_on or timezone.localdate(),
            "end_reason": measure.end_reason,
            "evaluation_result": measure.evaluation_result,
            "evaluation": measure.evaluation,
        },
    )
    stale = None
    status = 200
    if request.method == "GET":
        access_log_read(request, enrolment.youth)
    if request.method == "POST" and form.is_valid():
        form, stale, status, saved = save_versioned(  # type: ignore[assignment]
            request,
            form,
            lambda: services.measure_end(user=request.user, measure=measure, **form.cleaned_data),
        )
        if saved:
            messages.success(request, _("Insatsen är avslutad."))
            return redirect("casework:plan", pk=enrolment.pk)
    return render(
        request,
        "casework/plan_measure_end.html",
        {
            "enrolment": enrolment,
            "youth": enrolment.youth,
            "form": form,
            "measure": measure,
            "stale": stale,
        },
        status=status,
    )


@role_required(*CASE_ROLES)
def plan_pdf(request: KaaRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_plan(user=request.user, pk=pk)
    pdf = plan_pdf_render(
        enrolment=enrolment,
        today=timezone.localdate(),
        printed_by=request.user.get_full_name() or request.user.get_username(),
    )
    access_log_read(request, enrolment.youth, AccessLog.Action.PRINT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="individuell-plan-{enrolment.pk}.pdf"'
    return response


@role_required(*CASE_ROLES)
def plan_occupation(request: KaaRequest, pk: int) -> HttpResponse:
    """Record the young person's occupation from the plan page (a history, not a status)."""
    enrolment = selectors.enrolment_for_plan(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("casework:plan", pk=enrolment.pk)
    form = OccupationForm(request.POST)
    if form.is_valid():
        try:
            occupation_record(user=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sysselsättningen är sparad."))
            return redirect(reverse("casework:plan", args=[enrolment.pk]) + "#sysselsattning")
    return render(
        request, "casework/plan.html", _plan_page_context(enrolment, occupation_form=form)
    )
