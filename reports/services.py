"""Writes of the reports app. Each service is atomic and records the acting user."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from registry.models import User

from .models import BoardAnalysis, PopulationFigure, ScbExport, Target
from .scb import HalfYear
from .selectors.scb import scb_file


@transaction.atomic
def target_set(*, user: User, school_year: int, figure: str, value: Decimal) -> Target:
    """Set (or change) the board's target for a figure in a school year."""
    target = Target.objects.for_user(user).filter(
        school_year=school_year, figure=figure
    ).first() or Target(municipality=user.municipality, school_year=school_year, figure=figure)
    target.value = value
    target._history_user = user  # type: ignore[attr-defined]
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def population_figure_set(*, user: User, as_of: datetime.date, count: int) -> PopulationFigure:
    """Enter the number of 16-19-year-olds on a date (replacing that date's figure)."""
    figure = PopulationFigure.objects.for_user(user).filter(as_of=as_of).first() or (
        PopulationFigure(municipality=user.municipality, as_of=as_of)
    )
    figure.count = count
    figure._history_user = user  # type: ignore[attr-defined]
    figure.full_clean()
    figure.save()
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
    record._history_user = user  # type: ignore[attr-defined]
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def scb_export_create(*, user: User, half_year: HalfYear) -> ScbExport:
    """Build the half-year's SCB file now and keep it (the next preview is compared with it)."""
    built = scb_file(user, half_year)
    export = ScbExport(
        municipality=user.municipality,
        period_from=half_year.start,
        period_to=half_year.end,
        content=built.content,
        row_count=built.row_count,
        created_by=user,
    )
    export.full_clean()
    export.save()
    return export
