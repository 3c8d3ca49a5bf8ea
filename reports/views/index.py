"""The reports start page of board secretaries and managers: the board report.

Choose a period; the manager writes the analysis and planned actions; anyone
with a reports role generates the PDF (in the background) and downloads it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.http import KaaRequest
from registry.permissions import MANAGER_ROLES, REPORT_ROLES, role_required

from .. import services
from ..forms import AnalysisForm, PeriodForm
from ..key_figures import Period
from ..models import BoardReport
from ..pdf import board_report_context
from ..scb import HalfYear
from ..selectors.board import analysis_for, board_report_content, board_reports
from .effects import effects_for_page


def _period(request: HttpRequest, data: dict | None = None) -> tuple[PeriodForm, Period]:
    """The report period; by default the last half-year that has ended."""
    today = timezone.localdate()
    last_half_year = HalfYear.containing(today).previous()
    form = PeriodForm(
        data if data is not None else (request.GET or None),
        today=today,
        default=Period(last_half_year.start, last_half_year.end),
    )
    return form, form.period()


def _index_url(period: Period) -> str:
    query = urlencode({"from_date": period.start.isoformat(), "to_date": period.end.isoformat()})
    return f"{reverse('reports:index')}?{query}"


def figures_preview(user, period: Period) -> dict:
    """What the board report will show for the period, on screen: the tables and charts
    of the PDF (the same suppressed figures), the shares' trend over four periods included."""
    content = board_report_content(user, period, today=timezone.localdate())
    return board_report_context(content)


@role_required(*REPORT_ROLES)
def index(request: KaaRequest) -> HttpResponse:
    form, period = _period(request)
    analysis = analysis_for(request.user, period)
    context = {
        "preview": figures_preview(request.user, period),
        "form": form,
        "period": period,
        "analysis": analysis,
        "analysis_history": (
            analysis.history.select_related("history_user").order_by("-history_date")[:10]
            if analysis
            else []
        ),
        "analysis_form": AnalysisForm(
            initial={
                "analysis": analysis.analysis if analysis else "",
                "planned_actions": analysis.planned_actions if analysis else "",
            }
        ),
        "reports": board_reports(request.user),
        "is_manager": request.user.is_manager,
        "effects": effects_for_page(request.user, period, today=timezone.localdate(), public=True),
    }
    return render(request, "reports/index.html", context)


@require_POST
@role_required(*MANAGER_ROLES)
def analysis_save(request: KaaRequest) -> HttpResponse:
    period_form, period = _period(request, request.POST)
    form = AnalysisForm(request.POST)
    if period_form.is_valid() and form.is_valid():
        services.board_analysis_save(
            user=request.user,
            period_from=period.start,
            period_to=period.end,
            **form.cleaned_data,
        )
        messages.success(request, _("Analysen är sparad."))
    else:
        messages.error(request, _("Analysen kunde inte sparas: kontrollera perioden."))
    return redirect(_index_url(period))


@require_POST
@role_required(*REPORT_ROLES)
def board_report_create(request: KaaRequest) -> HttpResponse:
    period_form, period = _period(request, request.POST)
    if not period_form.is_valid():
        messages.error(request, _("Välj en giltig period."))
        return redirect(reverse("reports:index"))
    services.board_report_request(user=request.user, period=period)
    messages.success(request, _("Rapporten skapas. Den visas i listan när den är klar."))
    return redirect(_index_url(period))


@role_required(*REPORT_ROLES)
def board_report_status(request: KaaRequest, pk: int) -> HttpResponse:
    """The report's row, polled by htmx while it is being built."""
    report = get_object_or_404(
        BoardReport.objects.for_user(request.user).select_related("created_by").defer("pdf"),
        pk=pk,
    )
    return render(request, "reports/partials/board_report_row.html", {"report": report})


@role_required(*REPORT_ROLES)
def board_report_download(request: KaaRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(BoardReport.objects.for_user(request.user), pk=pk)
    if report.status != BoardReport.Status.DONE or not report.pdf:
        raise Http404
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response
