"""Import of register files: upload, preview and writing as background jobs with progress."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaa.queue import task_send_or_run

from .. import importing
from ..http import KaaRequest
from ..import_jobs import import_progress
from ..models import ImportBatch, ImportRow, Municipality, Role
from ..permissions import CASE_ROLES, role_required
from ..tasks import import_batch_commit_task, import_batch_validate_task

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil (CSV eller XLSX)"),
        help_text=format_lazy(
            gettext_lazy("Första raden: {columns}. Engelska kolumnnamn går också bra."),
            columns=", ".join(importing.COLUMN_LABELS[column] for column in importing.COLUMNS),
        ),
    )


def _batches(request: KaaRequest) -> QuerySet[ImportBatch]:
    """A coordinator sees the files they uploaded; a manager all of the municipality's.

    A batch's rows are a copy of the uploaded file (names, personnummer, addresses).
    """
    batches = ImportBatch.objects.for_user(request.user)
    if request.user.role != Role.MANAGER:
        batches = batches.filter(created_by_id=request.user.pk)
    return batches


def _batch(request: KaaRequest, pk: int) -> ImportBatch:
    batch = _batches(request).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


@role_required(*CASE_ROLES)
def import_upload(request: KaaRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("Filen är för stor (högst 20 MB)."))
        else:
            try:
                batch = importing.import_batch_create(
                    user=request.user,
                    # role_required lets in only users with a municipality.
                    municipality=cast(Municipality, request.user.municipality),
                    filename=upload.name,
                    content=upload.read(),
                )
            except importing.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                # The rows are checked in the background; the batch's page shows how far.
                transaction.on_commit(
                    lambda: task_send_or_run(import_batch_validate_task, batch.pk)
                )
                return redirect("registry:import_batch", pk=batch.pk)
    recent = _batches(request).select_related("created_by")[:10]
    return render(request, "registry/import_upload.html", {"form": form, "recent": recent})


@role_required(*CASE_ROLES)
def import_batch(request: KaaRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    context: dict = {"batch": batch}
    working = batch.status in (ImportBatch.Status.VALIDATING, ImportBatch.Status.COMMITTING)
    if working:
        context["progress"] = import_progress(batch)
    if request.htmx and working:
        # Polled every second or so while the background job runs.
        return render(request, "registry/partials/import_progress.html", context)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("registry:import_batch", args=[batch.pk])
        return response
    if batch.status == ImportBatch.Status.READY:
        rows = batch.rows.order_by("line")
        context["summary"] = importing.summary(batch)
        context["problem_rows"] = [row for row in rows if row.problems or row.warnings]
        creations = rows.exclude(action=ImportRow.Action.NONE)
        context["creations"] = Paginator(creations, 100).get_page(request.GET.get("page"))
        context["page"] = context["creations"]
    return render(request, "registry/import_batch.html", context)


@require_POST
@role_required(*CASE_ROLES)
def import_confirm(request: KaaRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if importing.import_batch_request_commit(batch=batch):
        # Queued after the status change is committed; without a broker (the
        # embedded run, or Redis down) it runs here and now.
        transaction.on_commit(lambda: task_send_or_run(import_batch_commit_task, batch.pk))
    else:
        messages.error(request, _("Inläsningen kan inte bekräftas i det här läget."))
    return redirect("registry:import_batch", pk=batch.pk)


@require_POST
@role_required(*CASE_ROLES)
def import_cancel(request: KaaRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if importing.import_batch_cancel(batch=batch):
        messages.info(request, _("Inläsningen är avbruten. Ingenting skrevs in."))
    else:
        messages.error(request, _("Inläsningen kan inte avbrytas i det här läget."))
    return redirect("registry:import_upload")


@role_required(*CASE_ROLES)
def import_template(request: KaaRequest) -> HttpResponse:
    """An empty file with the right headings."""
    response = HttpResponse(importing.write_rows([]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kaa-register-mall.csv"'
    return response
