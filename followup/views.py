"""The manager's follow-up page: flags on demand, job runs, the retention plan and its dry run."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.http import KaaRequest
from registry.permissions import MANAGER_ROLES, role_required

from . import selectors
from .forms import RetentionPolicyForm
from .services.enqueue import job_enqueue
from .services.retention import retention_candidates, retention_policy_save

RETENTION_PREVIEW_ROWS = 200


@role_required(*MANAGER_ROLES)
def index(request: KaaRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    policy = selectors.retention_policy_for(user)
    form = RetentionPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        retention_policy_save(user=user, years_after_end=form.cleaned_data["years_after_end"])
        messages.success(request, _("Gallringsregeln är sparad."))
        return redirect("followup:index")
    preview = None
    if request.GET.get("gallring"):
        candidates = retention_candidates(today=today, municipality_id=user.municipality_id)
        preview = {
            "count": candidates.count(),
            "youths": list(candidates[:RETENTION_PREVIEW_ROWS]),
            "limit": RETENTION_PREVIEW_ROWS,
        }
    return render(
        request,
        "followup/index.html",
        {
            "summary": selectors.followup_summary(user, today),
            "form": form,
            "preview": preview,
            "job_runs": selectors.recent_job_runs(user),
            "pending_count": selectors.pending_jobs(user).count(),
        },
    )


@require_POST
@role_required(*MANAGER_ROLES)
def run_flags(request: KaaRequest) -> HttpResponse:
    outcome, result = job_enqueue(
        "overdue_flags",
        user=request.user,
        municipality_id=request.user.municipality_id,
    )
    if outcome == "ran" and result is not None and result.get("skipped"):
        messages.warning(
            request, _("Flaggningen körs redan just nu. Vänta en stund och ladda om sidan.")
        )
    elif outcome == "ran" and result is not None:
        messages.success(
            request,
            _("Försenade steg är uppdaterade: %(opened)s nya, %(resolved)s åtgärdade.")
            % {"opened": result.get("opened", 0), "resolved": result.get("resolved", 0)},
        )
    elif outcome == "queued":
        messages.success(request, _("Körningen är beställd och görs inom kort."))
    else:
        messages.warning(
            request,
            _("Jobbkön svarar inte just nu. Beställningen är sparad och körs när kön är tillbaka."),
        )
    return redirect("followup:index")
