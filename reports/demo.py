"""Synthetic demo data for the reports: targets, population figures and one written analysis.

Idempotent: a second run adds nothing. Runs on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from registry.models import Municipality, User, Youth

from .key_figures import school_year_start
from .models import BoardAnalysis, PopulationFigure, Target, TargetFigure
from .scb import HalfYear

# The board's targets for the current school year, in per cent.
DEMO_TARGETS = {
    TargetFigure.REACHED_WITHIN_4_WEEKS: Decimal("100"),
    TargetFigure.IN_ACTIVITY: Decimal("90"),
    TargetFigure.CONTACT_COMPLIANCE: Decimal("90"),
}
# Invented: the 16-19-year-olds living in the demo municipality on 1 January.
DEMO_POPULATION = ((-1, 1812), (0, 1847))
DEMO_ANALYSIS = (
    "Inskrivningarna följer det vanliga mönstret, fler under hösten än under våren. "
    "Andelen som fick kontakt inom "
    "fyra veckor ligger under målet, främst när det första brevet inte besvaras och "
    "hembesöket dröjer."
)
DEMO_ACTIONS = (
    "Hembesök planeras redan vecka tre efter inskrivning. Samverkan med gymnasieskolorna "
    "om tidigare avbrottsanmälningar. Uppföljning av målen i nästa rapport."
)


def seed(municipality: Municipality, users: dict[str, User]) -> str:
    today = timezone.localdate()
    manager = users.get("chef")
    added = 0
    school_year = school_year_start(today).year
    for figure, value in DEMO_TARGETS.items():
        _target, created = Target.objects.get_or_create(
            municipality=municipality,
            school_year=school_year,
            figure=figure,
            defaults={"value": value},
        )
        added += created
    for years_back, count in DEMO_POPULATION:
        _figure, created = PopulationFigure.objects.get_or_create(
            municipality=municipality,
            as_of=datetime.date(today.year + years_back, 1, 1),
            defaults={"count": count},
        )
        added += created
    # The board report's default period is the last half-year that has ended.
    half_year = HalfYear.containing(today).previous()
    _analysis, created = BoardAnalysis.objects.get_or_create(
        municipality=municipality,
        period_from=half_year.start,
        period_to=half_year.end,
        defaults={
            "analysis": DEMO_ANALYSIS,
            "planned_actions": DEMO_ACTIONS,
            "updated_by": manager,
        },
    )
    added += created
    _date_im_students_back(municipality, today)
    return f"{added} nya poster: mål för läsåret, befolkningssiffror och en analys"


# The demo's IM students have been on the introduction programme this long.
DEMO_IM_SINCE_DAYS = 2 * 365


def _date_im_students_back(municipality: Municipality, today: datetime.date) -> None:
    """The key figures read IM students from the young people's history; the demo's
    were all created today, so date their first record back (idempotent: the same
    date each run), or every earlier period would count none."""
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=DEMO_IM_SINCE_DAYS), datetime.time(9)
        )
    )
    Youth.history.model.objects.filter(
        municipality=municipality, is_im_student=True, history_type="+"
    ).update(history_date=since)
