"""The regional analyst's pages: figures side by side, CSV and the regional board report PDF.

docs/domain.md, "Regions and moves": the analyst sees figures of the region's
municipalities, never a young person; every count 1–4 is "<5".
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from registry.models import Region, Role

from ..charts import bar_chart
from ..forms import PeriodForm
from ..regional import compliance_rows, effects_rows, figure_rows
from ..selectors.regional import RegionalFigures, region_of, regional_figures


def regional_analyst_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first, then 403 unless the user is a regional analyst with a region."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.role != Role.REGIONAL_ANALYST:  # type: ignore[union-attr]
            raise PermissionDenied
        region = region_of(user)  # type: ignore[arg-type]
        if region is None:
            raise PermissionDenied
        return view(request, region, *args, **kwargs)

    return wrapped


def _figures(
    request: HttpRequest, region: Region, *, with_compliance: bool = True, with_effects: bool = True
) -> tuple[PeriodForm, RegionalFigures]:
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    form.is_valid()
    figures = regional_figures(
        region=region,
        period=form.period(),
        today=timezone.localdate(),
        with_compliance=with_compliance,
        with_effects=with_effects,
    )
    return form, figures


def _chart_value(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _context(form: PeriodForm, figures: RegionalFigures) -> dict[str, Any]:
    rows = figure_rows(figures)
    compliance = compliance_rows(figures)
    by_code = {row.code: row for row in rows}
    names = [column.name for column in figures.municipalities]
    active = by_code["active"]
    contact = next((row for row in compliance if row.code == "contact"), None)
    return {
        "form": form,
        "figures": figures,
        "region": figures.region,
        "period": figures.period,
        "names": names,
        "rows": rows,
        "compliance_rows": compliance,
        "effects_rows": effects_rows(figures),
        "active_chart": bar_chart(
            [(name, _chart_value(value)) for name, value in zip(names, active.values, strict=True)],
            title=_("Ungdomar i KAA vid periodens slut, per kommun"),
            width=880,
            suppress=True,
        ),
        "contact_chart": bar_chart(
            [
                (name, _chart_value(value))
                for name, value in zip(names, contact.values, strict=True)
            ],
            title=_("Kontakt enligt rutinen (%), per kommun"),
            width=880,
        )
        if contact
        else "",
        "query": request_query(form),
    }


def request_query(form: PeriodForm) -> str:
    period = form.period()
    return f"from_date={period.start.isoformat()}&to_date={period.end.isoformat()}"


@regional_analyst_required
def regional_page(request: HttpRequest, region: Region) -> HttpResponse:
    """The key figures and the effects side by side; the compliance has a page of its own."""
    form, figures = _figures(request, region, with_compliance=False)
    return render(request, "reports/regional.html", _context(form, figures))


@regional_analyst_required
def regional_compliance(request: HttpRequest, region: Region) -> HttpResponse:
    form, figures = _figures(request, region, with_effects=False)
    return render(request, "reports/regional_compliance.html", _context(form, figures))


@regional_analyst_required
def regional_csv(request: HttpRequest, region: Region) -> HttpResponse:
    _form, figures = _figures(request, region)
    period = figures.period
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="region-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Nyckeltal"), *(f"{c.code} {c.name}" for c in figures.municipalities), region.name]
    )

    def cell(value: object) -> str:
        return "" if value is None else str(value).replace(".", ",")

    for row in [*figure_rows(figures), *compliance_rows(figures), *effects_rows(figures)]:
        writer.writerow([row.label, *(cell(v) for v in row.values), cell(row.total)])
    return response


@regional_analyst_required
def regional_pdf(request: HttpRequest, region: Region) -> HttpResponse:
    """The regional board report: the same suppressed tables and charts, as a PDF."""
    form, figures = _figures(request, region)
    context = _context(form, figures)
    context["today"] = timezone.localdate()
    html = render_to_string("reports/regional_pdf.html", context)
    period = figures.period
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="regionrapport-{period.start:%Y%m%d}-{period.end:%Y%m%d}.pdf"'
    )
    return response
