"""The manager's dashboard: key figures with comparison, charts, targets, population, CSV."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.http import KaaRequest
from registry.models import ScbOccupationCategory
from registry.permissions import MANAGER_ROLES, REPORT_ROLES, role_required

from .. import services
from ..board_report import period_label
from ..charts import bar_chart, line_chart
from ..forms import PeriodForm, PopulationForm, TargetForm
from ..key_figures import FIGURE_CODES, FIGURE_LABELS, PeriodFigures
from ..models import TargetFigure
from ..selectors.compliance import compliance
from ..selectors.dashboard import (
    goal_attainment,
    population_figures,
    registrations_by_month,
    school_year_of,
    targets_for,
)
from ..selectors.key_figures import key_figures, key_figures_with_trend
from .effects import effects_for_page

MONTH_LABEL = "%Y-%m"


def _period_form(request: HttpRequest) -> PeriodForm:
    return PeriodForm(request.GET or None, today=timezone.localdate())


def occupation_rows(figures) -> list[dict]:
    labels = dict(ScbOccupationCategory.choices)
    return [
        {"category": category, "label": labels.get(category, category), "comparison": comparison}
        for category, comparison in figures.occupation_comparisons().items()
    ]


# The trend lines on the dashboard: the registrations and the shares the board sets targets for.
TREND_FIGURES = ("new_registrations", "reached_within_4_weeks_share", "in_activity_share")


def trend_charts(periods: list[PeriodFigures], targets: dict) -> list[str]:
    """A line per figure across the periods, the target drawn where the board set one."""
    charts = []
    for code in TREND_FIGURES:
        is_share = code.endswith("_share")
        charts.append(
            line_chart(
                [(period_label(f.period), f.values.get(code)) for f in periods],
                title=str(FIGURE_LABELS[code]),
                width=880,
                target=float(targets[code]) if code in targets else None,
                unit=" %" if is_share else "",
                maximum=100 if is_share else None,
                show_title=True,
            )
        )
    return charts


@role_required(*MANAGER_ROLES)
def dashboard(request: KaaRequest) -> HttpResponse:
    today = timezone.localdate()
    form = _period_form(request)
    period = form.period()
    # The key figures and the trend lines from one pass over the municipality's enrolments.
    figures, periods = key_figures_with_trend(user=request.user, period=period, today=today)
    school_year = school_year_of(period.end)
    months = registrations_by_month(request.user, today=today)
    occupations = occupation_rows(figures)
    targets = targets_for(request.user, school_year)
    extra_values: dict[str, float | None] = {}
    if TargetFigure.CONTACT_COMPLIANCE in targets:
        rated = compliance(user=request.user, period=period, today=today)
        extra_values[TargetFigure.CONTACT_COMPLIANCE] = rated.contact_meets()[0]
    context = {
        "trend_charts": trend_charts(periods, targets),
        "form": form,
        "period": period,
        "figures": figures,
        "rows": [
            {"code": code, "label": FIGURE_LABELS[code], "comparison": comparison}
            for code, comparison in figures.comparisons().items()
        ],
        "occupations": occupations,
        "months_chart": bar_chart(
            [(month.strftime(MONTH_LABEL), count) for month, count in months],
            title=_("Nya inskrivningar per månad, senaste 24 månaderna"),
            width=880,
            label_every=3,
        ),
        "occupation_chart": bar_chart(
            [(str(row["label"]), row["comparison"].current) for row in occupations],
            title=_("Sysselsättning vid periodens slut"),
            width=880,
        ),
        "coordinator_chart": bar_chart(
            [(load.name or str(_("Ej tilldelad")), load.caseload) for load in figures.coordinators],
            title=_("Aktiva inskrivningar per koordinator i dag"),
            width=880,
        ),
        "school_year": school_year,
        "attainment": goal_attainment(figures, targets, extra_values=extra_values),
        "target_form": TargetForm(initial={"school_year": school_year}),
        "population_form": PopulationForm(initial={"as_of": today}),
        "population_figures": population_figures(request.user),
        "query": request.GET.urlencode(),
        "effects": effects_for_page(request.user, period, today=today),
    }
    return render(request, "reports/dashboard.html", context)


def _form_errors_as_messages(request: HttpRequest, form: forms.Form) -> None:
    # The forms sit inside the dashboard, which is rendered again after the redirect.
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@require_POST
@role_required(*MANAGER_ROLES)
def target_set(request: KaaRequest) -> HttpResponse:
    form = TargetForm(request.POST)
    if form.is_valid():
        services.target_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Målet är sparat."))
    else:
        _form_errors_as_messages(request, form)
    return redirect(reverse("reports:dashboard") + "#mal")


@require_POST
@role_required(*MANAGER_ROLES)
def population_set(request: KaaRequest) -> HttpResponse:
    form = PopulationForm(request.POST)
    if form.is_valid():
        services.population_figure_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Befolkningssiffran är sparad."))
    else:
        _form_errors_as_messages(request, form)
    return redirect(reverse("reports:dashboard") + "#befolkning")


@role_required(*REPORT_ROLES)
def key_figures_csv(request: KaaRequest) -> HttpResponse:
    """The key figures and their change as CSV (semicolon-separated, for Swedish Excel)."""
    form = _period_form(request)
    period = form.period()
    figures = key_figures(user=request.user, period=period, today=timezone.localdate())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="nyckeltal-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    previous = figures.previous.period
    writer.writerow(
        [
            _("Nyckeltal"),
            f"{period.start}–{period.end}",
            f"{previous.start}–{previous.end}",
            _("Förändring"),
            _("Förändring (%)"),
        ]
    )

    def cell(value: object) -> str:
        return "" if value is None else str(value).replace(".", ",")

    for code in FIGURE_CODES:
        c = figures.comparison(code)
        writer.writerow([FIGURE_LABELS[code], *(cell(v) for v in c.as_dict().values())])
    for row in occupation_rows(figures):
        c = row["comparison"]
        writer.writerow(
            [
                _("Sysselsättning: %(label)s") % {"label": row["label"]},
                *(cell(v) for v in c.as_dict().values()),
            ]
        )
    return response
