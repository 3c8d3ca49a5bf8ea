"""Writes of the reports app. Each service is atomic and records the acting user."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection, models, transaction
from django.http import HttpRequest

from kaa.queue import task_send_or_run
from registry.models import AccessLog, User, Youth
from registry.services import client_ip

from .key_figures import Period
from .models import BoardAnalysis, BoardReport, PopulationFigure, ScbExport, Target
from .scb import HalfYear
from .selectors.scb import scb_file
from .tasks import board_report_generate

logger = logging.getLogger(__name__)


def _save_with_history(record: models.Model, *, user: User) -> None:
    # simple-history records who made the change (docs/architecture.md, "Inside an app": services set the acting user).
    record._history_user = user  # type: ignore[attr-defined]
    record.full_clean()
    record.save()


@transaction.atomic
def target_set(*, user: User, school_year: int, figure: str, value: Decimal) -> Target:
    """Set (or change) the board's target for a figure in a school year."""
    target = Target.objects.for_user(user).filter(
        school_year=school_year, figure=figure
    ).first() or Target(municipality=user.municipality, school_year=school_year, figure=figure)
    target.value = value
    _save_with_history(target, user=user)
    return target


@transaction.atomic
def population_figure_set(*, user: User, as_of: datetime.date, count: int) -> PopulationFigure:
    """Enter the number of 16-19-year-olds on a date (replacing that date's figure)."""
    figure = PopulationFigure.objects.for_user(user).filter(as_of=as_of).first() or (
        PopulationFigure(municipality=user.municipality, as_of=as_of)
    )
    figure.count = count
    _save_with_history(figure, user=user)
    return figure


@transaction.atomic
def board_analysis_save(
    *,
    user: User,
    period_from: datetime.date,
    period_to: datetime.date,
    analysis: str,
    planned_actions: str,
) -> BoardAnalysis:
    """Save the manager's analysis and planned actions for a period; history keeps each version."""
    record = BoardAnalysis.objects.for_user(user).filter(
        period_from=period_from, period_to=period_to
    ).first() or BoardAnalysis(
        municipality=user.municipality, period_from=period_from, period_to=period_to
    )
    record.analysis = analysis
    record.planned_actions = planned_actions
    record.updated_by = user
    _save_with_history(record, user=user)
    return record


@transaction.atomic
def scb_export_create(
    *, user: User, half_year: HalfYear, request: HttpRequest | None = None
) -> ScbExport:
    """Build the half-year's SCB file now and keep it (the next preview is compared with it)."""
    built = scb_file(user, half_year)
    export = ScbExport(
        municipality=user.municipality,
        period_from=half_year.start,
        period_to=half_year.end,
        content=built.content,
        row_count=built.row_count,
        youth_ids=built.youth_ids,
        created_by=user,
    )
    export.full_clean()
    export.save()
    # The file holds each young person's record: the access log says who exported it.
    _log_export(user=user, youth_ids=built.youth_ids, request=request)
    return export


def _log_export(*, user: User, youth_ids: list[int], request: HttpRequest | None) -> None:
    """One access-log row per young person in the file, written by the database in one statement.

    Young people removed since (retention) have no log left to write to. A file holds
    thousands of records: INSERT ... SELECT builds no model object per row.
    """
    if not youth_ids:
        return
    still_here = Youth.objects.for_user(user).filter(pk__in=youth_ids).values_list("pk")
    try:
        selected, selected_params = still_here.query.sql_with_params()
    except EmptyResultSet:  # a user without a municipality reads nobody
        return
    log = AccessLog._meta
    column_of = {field.name: field.column for field in log.concrete_fields if field.column}
    columns = ", ".join(column_of[name] for name in ("user", "youth", "action", "at", "ip_address"))
    # The log's own default for "at" (now), as a single row's save would set it.
    at = connection.ops.adapt_datetimefield_value(log.get_field("at").get_default())
    sql = (
        f"WITH still_here (youth_id) AS ({selected}) "  # noqa: S608 (names from the models)
        f"INSERT INTO {connection.ops.quote_name(log.db_table)} ({columns}) "
        "SELECT %s, youth_id, %s, %s, %s FROM still_here"
    )
    params = [*selected_params, user.pk, AccessLog.Action.EXPORT.value, at, client_ip(request)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def scb_export_download(
    *, user: User, export: ScbExport, request: HttpRequest | None = None
) -> str:
    """The stored file's text; each download is a new read of every record in it, so it is logged."""
    _log_export(user=user, youth_ids=list(export.youth_ids or []), request=request)
    return export.content


@transaction.atomic
def board_report_request(*, user: User, period: Period) -> BoardReport:
    """Ask for a board report PDF; it is built in the background once this is committed."""
    report = BoardReport(
        municipality=user.municipality,
        period_from=period.start,
        period_to=period.end,
        created_by=user,
    )
    report.full_clean()
    report.save()
    transaction.on_commit(lambda: _queue_board_report(report.pk))
    return report


def _queue_board_report(report_id: int) -> None:
    # No broker reachable: it is built here rather than left waiting forever.
    task_send_or_run(board_report_generate, report_id)


# --- Retention of the SCB files (called by the follow-up retention job) ---


def _scb_exports_past(
    *,
    default_cutoff: datetime.date,
    cutoffs: dict[int, datetime.date],
    placeholder: str,
    municipality_id: int | None,
) -> models.QuerySet[ScbExport]:
    past = models.Q(period_to__lt=default_cutoff) & ~models.Q(municipality_id__in=list(cutoffs))
    for own_municipality, cutoff in cutoffs.items():
        past |= models.Q(municipality_id=own_municipality, period_to__lt=cutoff)
    files = ScbExport.objects.filter(past).exclude(content=placeholder)
    if municipality_id is not None:
        files = files.filter(municipality_id=municipality_id)
    return files


@transaction.atomic
def scb_exports_prune(
    *,
    default_cutoff: datetime.date,
    cutoffs: dict[int, datetime.date],
    placeholder: str,
    municipality_id: int | None = None,
    dry_run: bool = True,
) -> int:
    """Clear the content of SCB files whose half-year ended before the retention cutoff.

    The files list personnummer, so they go with the rest of a young person's
    data (docs/domain.md, "Data protection"): the content becomes ``placeholder``,
    the row count stays. ``cutoffs`` holds the municipalities' own cutoffs,
    ``default_cutoff`` applies to the others; the follow-up retention job
    computes both from its retention plans. Returns the number of files
    cleared (or, in a dry run, that would be).
    """
    files = _scb_exports_past(
        default_cutoff=default_cutoff,
        cutoffs=cutoffs,
        placeholder=placeholder,
        municipality_id=municipality_id,
    )
    if dry_run:
        return files.count()
    return files.update(content=placeholder)
