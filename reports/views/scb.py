"""The SCB half-year export: pre-checks with links to the cases, the diff, the file."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.http import KaaRequest
from registry.models import Municipality
from registry.permissions import MANAGER_ROLES, role_required

from .. import services
from ..models import ScbExport
from ..scb import HalfYear, LayoutError, Problem, layout_path
from ..selectors.scb import problem_youths, scb_exports, scb_preview

HALF_YEARS_OFFERED = 6
# Problems of one kind named on the page before "Visa alla" (a national file can have thousands).
PROBLEMS_SHOWN = 25


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


def _problem_groups(
    request: KaaRequest, problems: list[Problem], *, shown_code: str
) -> list[dict[str, Any]]:
    """The problems by kind, each kind's first ``PROBLEMS_SHOWN`` named (all for ``shown_code``).

    Only the young people named on the page are read (one query), each with a link to
    their page so the list can be worked through.
    """
    by_code: dict[str, list[Problem]] = {}
    for problem in problems:
        by_code.setdefault(problem.code, []).append(problem)
    shown = {
        code: found if code == shown_code else found[:PROBLEMS_SHOWN]
        for code, found in by_code.items()
    }
    named = [problem for found in shown.values() for problem in found]
    youths = problem_youths(request.user, named)
    # One reverse() for every link: the id is put in the pattern's place.
    link = reverse("registry:youth_detail", args=[0]).replace("/0/", "/{}/")
    return [
        {
            "code": code,
            "count": len(by_code[code]),
            "hidden": len(by_code[code]) - len(found),
            "rows": [
                {
                    "problem": problem,
                    "youth": youths.get(problem.youth_id or 0),
                    "url": link.format(problem.youth_id) if problem.youth_id else "",
                }
                for problem in found
            ],
        }
        for code, found in shown.items()
    ]


@role_required(*MANAGER_ROLES)
def scb_page(request: KaaRequest) -> HttpResponse:
    offered = _half_years()
    half_year = _chosen(request.GET.get("half_year"), offered)
    try:
        preview = scb_preview(request.user, half_year)
        layout_error = ""
    except LayoutError as error:
        preview, layout_error = None, str(error)
    shown_code = request.GET.get("visa", "")
    problem_groups = []
    if preview is not None:
        problem_groups = _problem_groups(request, preview.file.problems, shown_code=shown_code)
    return render(
        request,
        "reports/scb.html",
        {
            "offered": offered,
            "half_year": half_year,
            "preview": preview,
            "layout_error": layout_error,
            # The file name only: the page never shows a path on the server.
            "layout_file": layout_path().name,
            "problem_groups": problem_groups,
            "shown_code": shown_code,
            "exports": scb_exports(request.user),
        },
    )


@require_POST
@role_required(*MANAGER_ROLES)
def scb_export(request: KaaRequest) -> HttpResponse:
    half_year = _chosen(request.POST.get("half_year"), _half_years())
    try:
        export = services.scb_export_create(
            user=request.user,
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
def scb_download(request: KaaRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(ScbExport.objects.for_user(request.user), pk=pk)
    content = services.scb_export_download(
        user=request.user,
        export=export,
        request=request,
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    # role_required lets through only users with a municipality.
    municipality = cast(Municipality, request.user.municipality).code
    response["Content-Disposition"] = (
        f'attachment; filename="kaa-scb-{municipality}-{export.period_from:%Y%m}-{export.pk}.csv"'
    )
    return response
