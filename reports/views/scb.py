"""The SCB half-year export: pre-checks with links to the cases, the diff, the file."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.permissions import MANAGER_ROLES, role_required

from .. import services
from ..models import ScbExport
from ..scb import HalfYear, LayoutError, layout_path
from ..selectors.scb import problem_youths, scb_exports, scb_preview

HALF_YEARS_OFFERED = 6


def _half_years() -> list[HalfYear]:
    """The current half-year and the ones before it, newest first."""
    current = HalfYear.containing(timezone.localdate())
    offered = [current]
    for _index in range(HALF_YEARS_OFFERED - 1):
        offered.append(offered[-1].previous())
    return offered


def _chosen(value: str | None, offered: list[HalfYear]) -> HalfYear:
    """The half-year asked for; by default the last one that has ended."""
    codes = {half.code: half for half in offered}
    if value in codes:
        return codes[value]
    return offered[1]


@role_required(*MANAGER_ROLES)
def scb_page(request: HttpRequest) -> HttpResponse:
    offered = _half_years()
    half_year = _chosen(request.GET.get("half_year"), offered)
    try:
        preview = scb_preview(request.user, half_year)  # type: ignore[arg-type]
        layout_error = ""
    except LayoutError as error:
        preview, layout_error = None, str(error)
    problems = []
    if preview is not None:
        # Name each young person so the list can be worked through, not just clicked.
        youths = problem_youths(request.user, preview.file.problems)  # type: ignore[arg-type]
        problems = [
            {"problem": problem, "youth": youths.get(problem.youth_id or 0)}
            for problem in preview.file.problems
        ]
    return render(
        request,
        "reports/scb.html",
        {
            "offered": offered,
            "half_year": half_year,
            "preview": preview,
            "layout_error": layout_error,
            # The file's name only: the page must not show where the server keeps it.
            "layout_file": layout_path().name,
            "problems": problems,
            "exports": scb_exports(request.user),  # type: ignore[arg-type]
        },
    )


@require_POST
@role_required(*MANAGER_ROLES)
def scb_export(request: HttpRequest) -> HttpResponse:
    half_year = _chosen(request.POST.get("half_year"), _half_years())
    try:
        export = services.scb_export_create(
            user=request.user,  # type: ignore[arg-type]
            half_year=half_year,
            request=request,
        )
    except LayoutError as error:
        messages.error(
            request, _("SCB-layouten går inte att använda: %(error)s") % {"error": error}
        )
        return redirect(reverse("reports:scb"))
    messages.success(
        request,
        _("Filen för %(half)s är skapad med %(rows)s rader.")
        % {"half": half_year.code, "rows": export.row_count},
    )
    return redirect(f"{reverse('reports:scb')}?half_year={half_year.code}")


@role_required(*MANAGER_ROLES)
def scb_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(ScbExport.objects.for_user(request.user), pk=pk)  # type: ignore[arg-type]
    content = services.scb_export_download(
        user=request.user,  # type: ignore[arg-type]
        export=export,
        request=request,
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    municipality = request.user.municipality.code  # type: ignore[union-attr]
    response["Content-Disposition"] = (
        f'attachment; filename="kaa-scb-{municipality}-{export.period_from:%Y%m}-{export.pk}.csv"'
    )
    return response
