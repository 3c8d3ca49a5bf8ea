"""Routine compliance: the auditors' table, and the cases behind each cell for managers."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.http import KaaRequest
from registry.permissions import MANAGER_ROLES, role_required

from ..charts import bar_chart
from ..compliance import AREA_LABELS, AREAS, CONTACT, RATING_LABELS, RATINGS, REASON_LABELS
from ..forms import ComplianceForm
from ..key_figures import share
from ..models import TargetFigure
from ..selectors.compliance import ComplianceResult, cases_with_youth, compliance
from ..selectors.dashboard import school_year_of, targets_for

MAX_SEED = 1_000_000


def _result(request: KaaRequest) -> tuple[ComplianceForm, ComplianceResult | None]:
    form = ComplianceForm(request.GET or None, today=timezone.localdate())
    period = form.period()
    sample = seed = None
    if form.is_bound and form.is_valid():
        sample = form.cleaned_data["sample"]
        seed = form.cleaned_data["seed"]
    elif form.is_bound:
        return form, None
    result = compliance(
        user=request.user,
        period=period,
        today=timezone.localdate(),
        sample=sample,
        seed=seed,
    )
    return form, result


def _query(result: ComplianceResult, **extra: object) -> str:
    params: dict[str, object] = {
        "from_date": result.period.start.isoformat(),
        "to_date": result.period.end.isoformat(),
    }
    if result.sample is not None:
        params |= {"sample": result.sample, "seed": result.seed}
    return urlencode(params | extra)


@role_required(*MANAGER_ROLES)
def compliance_page(request: KaaRequest) -> HttpResponse:
    if request.GET.get("sample") and not request.GET.get("seed"):
        # Draw the seed once and put it in the address, so the sample can be opened again.
        query = request.GET.copy()
        query["seed"] = str(secrets.randbelow(MAX_SEED))
        return redirect(f"{reverse('reports:compliance')}?{query.urlencode()}")
    form, result = _result(request)
    table: list[dict[str, Any]] = []
    if result is not None:
        areas = result.areas
        table = [
            {
                "area": area,
                "label": AREA_LABELS[area],
                "cells": [
                    {
                        "rating": rating,
                        "count": areas[area][rating],
                        # The share of the rated cases: comparable between periods and samples.
                        "share": share(areas[area][rating], len(result.cases)),
                        "url": f"{reverse('reports:compliance_cases')}?{_query(result, area=area, rating=rating)}",
                    }
                    for rating in RATINGS
                ],
            }
            for area in AREAS
        ]
    chart = ""
    if result is not None and result.cases:
        school_year = school_year_of(result.period.end)
        target = targets_for(request.user, school_year).get(TargetFigure.CONTACT_COMPLIANCE)
        chart = bar_chart(
            [(str(row["label"]), row["cells"][0]["share"]) for row in table],
            title=_("Andel som uppfyller rutinen per område (%)"),
            width=880,
            targets={AREAS.index(CONTACT): float(target)} if target is not None else None,
            unit=" %",
            maximum=100,
        )
    return render(
        request,
        "reports/compliance.html",
        {
            "form": form,
            "result": result,
            "table": table,
            "chart": chart,
            "rating_labels": [RATING_LABELS[rating] for rating in RATINGS],
        },
    )


@role_required(*MANAGER_ROLES)
def compliance_cases(request: KaaRequest) -> HttpResponse:
    """The cases behind one cell of the table, each with its reasons and a link to the young person."""
    area, rating = request.GET.get("area", ""), request.GET.get("rating", "")
    if area not in AREAS or rating not in RATINGS:
        raise Http404
    _form, result = _result(request)
    if result is None:
        raise Http404
    matching = [case for case in result.cases if case.ratings[area] == rating]
    enrolments = cases_with_youth(request.user, [case.enrolment_id for case in matching])
    rows = [
        {
            "case": case,
            "enrolment": enrolments.get(case.enrolment_id),
            "reasons": [REASON_LABELS.get(code, code) for code in case.reasons[area]],
        }
        for case in matching
    ]
    return render(
        request,
        "reports/compliance_cases.html",
        {
            "area_label": AREA_LABELS[area],
            "rating_label": RATING_LABELS[rating],
            "result": result,
            "rows": rows,
            "back": f"{reverse('reports:compliance')}?{_query(result)}",
        },
    )
