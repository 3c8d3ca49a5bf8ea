"""Key figures computed in the database: one set-based pass per period and a few small queries.

The definitions are in ``reports.key_figures``; this module only expresses them
in SQL. Per period one query reads the municipality's enrolments once, joins
each enrolment's facts as of the period's judging day (first attempt, contact,
latest occupation: grouped once, never a correlated subquery per count) and
counts every figure with ``FILTER`` clauses over that one row set; on
PostgreSQL the medians come from the same pass (``percentile_cont``). The same
query can judge several periods in one pass (``period_figures``, for trends). Then the
population figure and the IM students on the last day (from the young people's
history), and today's per-coordinator table: seven queries for two periods,
whatever the data. SQLite (the demo) lacks ``percentile_cont`` and reads the
day counts of the period's registrations for the medians (one more query).
"""

from __future__ import annotations

import datetime
import re
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from casework.models import ContactAttempt, Outcome
from registry.models import EndReason, Enrolment, Occupation, Source, User, Youth
from registry.models.youth import OCCUPATION_SCB_CATEGORY, OCCUPATIONS_IN_ACTIVITY

from ..key_figures import (
    CONTACT_GOAL_DAYS,
    CoordinatorLoad,
    KeyFigures,
    Period,
    PeriodFigures,
    median_days,
    school_year_start,
    share,
)
from ..models import PopulationFigure

UNKNOWN_CATEGORY = "unknown"
MEDIAN_FIGURES = ("median_days_to_first_attempt", "median_days_to_contact")
# Periods in a trend line: this one and three before (two years of half-years).
TREND_PERIODS = 4
ENROLMENT_COLUMNS = ("id", "registered_on", "ended_on", "source", "end_reason")


class _Parameters:
    """Placeholders for values, put in the SQL's textual order whatever order they were made in."""

    TOKEN = re.compile(r"__param(\d+)__")

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"__param{len(self.values) - 1}__"

    def compile(self, sql: str) -> tuple[str, list[Any]]:
        params: list[Any] = []

        def placeholder(match: re.Match[str]) -> str:
            params.append(self.values[int(match.group(1))])
            return "%s"

        return self.TOKEN.sub(placeholder, sql), params


def _days_between(later: str, earlier: str) -> str:
    """SQL for ``later - earlier`` in whole days (NULL when either is NULL)."""
    if connection.vendor == "sqlite":
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    # A date minus a date is a whole number of days in PostgreSQL.
    return f"({later} - {earlier})"


def _counted_in(judged: list[tuple[Period, datetime.date]]) -> Q:
    """Enrolments some count of a period can include: every count's condition, OR-ed.

    Active on ``as_of``, active some day of the period, registered in it or ended in
    it; the rest (years of ended enrolments) is counted nowhere and never read, so the
    work follows the period's enrolments, not the municipality's whole history.
    """
    counted = Q()
    for period, as_of in judged:
        counted |= (
            (Q(registered_on__lte=as_of) & (Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)))
            | (
                Q(registered_on__lte=period.end)
                & (Q(ended_on__isnull=True) | Q(ended_on__gt=period.start))
            )
            | Q(registered_on__gte=period.start, registered_on__lte=period.end)
            | Q(ended_on__gte=period.start, ended_on__lte=period.end)
        )
    return counted


# "YYYY-MM-DD:" and a 20-digit id and ":" before the kind in an occupation's sortable key.
OCCUPATION_KEY_LENGTH = 32


def _occupation_key(alias: str) -> str:
    """SQL for an occupation's key "from_date:id:kind": sorted as text, as (from_date, id)."""
    if connection.vendor == "sqlite":
        # SQLite keeps dates as YYYY-MM-DD text and compares text bytewise.
        return f"{alias}.from_date || ':' || printf('%%020d', {alias}.id) || ':' || {alias}.kind"
    return (
        f"(CAST({alias}.from_date AS text) || ':' || LPAD(CAST({alias}.id AS text), 20, '0')"
        f" || ':' || {alias}.kind) COLLATE \"C\""
    )


def _scoped_enrolments(
    user: User, judged: list[tuple[Period, datetime.date]]
) -> tuple[str, list[Any]]:
    """The SQL and parameters of the user's enrolments that the periods' counts can include
    (``for_user`` is the one scoping rule)."""
    queryset = (
        Enrolment.objects.for_user(user)
        .filter(_counted_in(judged))
        .order_by()
        .values_list(*ENROLMENT_COLUMNS)
    )
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # for_user(...) of a user without a municipality is .none()
        columns = ", ".join(ENROLMENT_COLUMNS)
        return f"SELECT {columns} FROM {Enrolment._meta.db_table} WHERE 1 = 0", []  # noqa: S608
    return sql, list(params)


def _facts_cte(user: User, judged: list[tuple[Period, datetime.date]], param: _Parameters) -> str:
    """``WITH ... facts``: one row per enrolment of the municipality, with per period ``k``:

    - first_attempt_k / contact_k: the earliest attempt, and the earliest with outcome
      ``reached``, dated on or before the period's ``as_of`` (the earliest of all when it
      is on or before ``as_of``, else none: one grouping serves every period);
    - kind_k: the occupation with the latest from_date (then id) on or before ``as_of``
      (the largest sortable key "from_date:id:kind" among them: one grouping of the
      occupations serves every period, no sort or window per period);
    - active_k, registered_k, judged_k: the period's row sets of the definitions.
    """
    scoped_sql, scoped_params = _scoped_enrolments(user, judged)
    # Its placeholders are renumbered through ``param`` so the parameters stay in order.
    parts = scoped_sql.split("%s")
    scoped = parts[0] + "".join(
        param(value) + part for value, part in zip(scoped_params, parts[1:], strict=True)
    )
    attempts = ContactAttempt._meta.db_table
    occupations = Occupation._meta.db_table
    columns = ", ".join(ENROLMENT_COLUMNS)
    latest_as_of = max(as_of for _period, as_of in judged)
    latest_occupations = []
    per_period = []
    for k, (period, as_of) in enumerate(judged):
        latest_occupations.append(
            f"MAX({_occupation_key('o')}) FILTER (WHERE o.from_date <= {param(as_of)})"
            f" AS latest_{k}"
        )
        judged_until = as_of - datetime.timedelta(days=CONTACT_GOAL_DAYS)
        per_period.append(f"""
           CASE WHEN a.first_attempt_on <= {param(as_of)} THEN a.first_attempt_on END
               AS first_attempt_{k},
           CASE WHEN a.contact_on <= {param(as_of)} THEN a.contact_on END AS contact_{k},
           SUBSTR(o.latest_{k}, {OCCUPATION_KEY_LENGTH + 1}) AS kind_{k},
           (e.registered_on <= {param(as_of)}
            AND (e.ended_on IS NULL OR e.ended_on > {param(as_of)})) AS active_{k},
           (e.registered_on >= {param(period.start)}
            AND e.registered_on <= {param(period.end)}) AS registered_{k},
           (e.registered_on >= {param(period.start)} AND e.registered_on <= {param(period.end)}
            AND e.registered_on <= {param(judged_until)}) AS judged_{k}""")
    # Only table names, fixed SQL and placeholders are interpolated; values go in ``param``.
    return f"""
WITH enrolment ({columns}) AS NOT MATERIALIZED ({scoped}),
attempt AS (
    SELECT a.enrolment_id,
           MIN(a.date) AS first_attempt_on,
           MIN(CASE WHEN a.outcome = {param(Outcome.REACHED.value)} THEN a.date END) AS contact_on
    FROM {attempts} a
    WHERE a.date <= {param(latest_as_of)} AND a.enrolment_id IN (SELECT id FROM enrolment)
    GROUP BY a.enrolment_id
),
occupation AS (
    SELECT o.enrolment_id, {", ".join(latest_occupations)}
    FROM {occupations} o
    WHERE o.from_date <= {param(latest_as_of)} AND o.enrolment_id IN (SELECT id FROM enrolment)
    GROUP BY o.enrolment_id
),
facts AS (
    SELECT e.id, e.registered_on, e.ended_on, e.source, e.end_reason,{",".join(per_period)}
    FROM enrolment e
    LEFT JOIN attempt a ON a.enrolment_id = e.id
    LEFT JOIN occupation o ON o.enrolment_id = e.id
)
"""  # noqa: S608 (table names come from the models, values are parameters)


def _count_conditions(
    k: int, period: Period, as_of: datetime.date, param: _Parameters
) -> dict[str, str]:
    """The condition of each count of period ``k`` over the facts' row (FILTER clauses)."""
    to_contact = _days_between(f"contact_{k}", "registered_on")
    in_activity = ", ".join(param(kind) for kind in sorted(OCCUPATIONS_IN_ACTIVITY))
    conditions = {
        "active": f"active_{k}",
        "active_during": f"registered_on <= {param(period.end)}"
        f" AND (ended_on IS NULL OR ended_on > {param(period.start)})",
        "new_registrations": f"registered_{k}",
        "dropouts_this_school_year": f"registered_{k}"
        f" AND source = {param(Source.DROPOUT_NATIONAL_PROGRAMME.value)}"
        f" AND registered_on >= {param(school_year_start(as_of))}",
        "not_reached": f"active_{k} AND contact_{k} IS NULL",
        "judged_4_weeks": f"judged_{k}",
        "reached_within_4_weeks": f"judged_{k} AND {to_contact} <= {param(CONTACT_GOAL_DAYS)}",
        "in_activity": f"active_{k} AND kind_{k} IN ({in_activity})",
        "returned_to_studies": f"ended_on >= {param(period.start)}"
        f" AND ended_on <= {param(period.end)}"
        f" AND end_reason = {param(EndReason.STARTED_UPPER_SECONDARY.value)}",
        "no_occupation_recorded": f"active_{k} AND kind_{k} IS NULL",
        "with_first_attempt": f"registered_{k} AND first_attempt_{k} IS NOT NULL",
        "with_contact": f"registered_{k} AND contact_{k} IS NOT NULL",
    }
    for kind in OCCUPATION_SCB_CATEGORY:
        conditions[f"kind:{kind}"] = f"active_{k} AND kind_{k} = {param(str(kind))}"
    return conditions


def _figures_rows(user: User, judged: list[tuple[Period, datetime.date]]) -> list[dict[str, Any]]:
    """Every count (and, on PostgreSQL, both medians) of each period, in one pass over the facts."""
    param = _Parameters()
    cte = _facts_cte(user, judged, param)
    selects: list[str] = []
    names: list[tuple[int, str]] = []
    for k, (period, as_of) in enumerate(judged):
        for name, condition in _count_conditions(k, period, as_of, param).items():
            selects.append(f"COUNT(*) FILTER (WHERE {condition})")
            names.append((k, name))
        if connection.vendor == "postgresql":
            for name, known in zip(MEDIAN_FIGURES, ("first_attempt", "contact"), strict=True):
                days = _days_between(f"{known}_{k}", "registered_on")
                selects.append(
                    f"PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {days})"
                    f" FILTER (WHERE registered_{k} AND {known}_{k} IS NOT NULL)"
                )
                names.append((k, name))
    sql, params = param.compile(cte + "SELECT " + ",\n       ".join(selects) + "\nFROM facts")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
    rows: list[dict[str, Any]] = [{} for _judged in judged]
    for (k, name), value in zip(names, values, strict=True):
        rows[k][name] = value
    if connection.vendor != "postgresql":
        # SQLite (the demo) has no percentile_cont: the day counts of the registrations instead.
        for row, medians in zip(rows, _medians_in_python(user, judged), strict=True):
            row.update(medians)
    return rows


def _medians_in_python(
    user: User, judged: list[tuple[Period, datetime.date]]
) -> list[dict[str, float | None]]:
    param = _Parameters()
    cte = _facts_cte(user, judged, param)
    columns = []
    for k in range(len(judged)):
        for known in ("first_attempt", "contact"):
            days = _days_between(f"{known}_{k}", "registered_on")
            columns.append(f"CASE WHEN registered_{k} THEN {days} END")
    sql, params = param.compile(f"{cte}SELECT {', '.join(columns)} FROM facts")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result: list[dict[str, float | None]] = []
    for k in range(len(judged)):
        medians: dict[str, float | None] = {}
        for offset, code in enumerate(MEDIAN_FIGURES):
            index = 2 * k + offset
            known_days = [row[index] for row in rows if row[index] is not None]
            medians[code] = float(statistics.median(known_days)) if known_days else None
        result.append(medians)
    return result


def im_students_on(user: User, as_of: datetime.date) -> int:
    """Young people of the municipality marked as IM students on ``as_of`` (beside KAA).

    Read from the young people's history (simple-history), so the previous period
    counts those who were IM students then, not those who are now.
    """
    if user.municipality_id is None:
        return 0
    by_municipality = im_students_by_municipality([user.municipality_id], as_of)
    return by_municipality.get(user.municipality_id, 0)


def im_students_by_municipality(
    municipality_ids: Sequence[int], as_of: datetime.date
) -> dict[int, int]:
    """As ``im_students_on``, for several municipalities in one grouped query."""
    historical = Youth.history.model
    cutoff = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    )
    latest = (
        historical.objects.filter(id=OuterRef("id"), history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    marked = {
        "municipality_id__in": list(municipality_ids),
        "history_date__lt": cutoff,
        "is_im_student": True,
    }
    rows = (
        historical.objects.filter(**marked, history_id=Subquery(latest))
        # Only those ever marked (few) have their latest version looked up.
        .filter(history_id__in=historical.objects.filter(**marked).values("history_id"))
        .exclude(history_type="-")
        .order_by()
        .values("municipality_id")
        .annotate(count=Count("pk"))
    )
    return {row["municipality_id"]: int(row["count"]) for row in rows}


def period_figures(
    user: User, periods: list[Period], *, today: datetime.date, extras: bool = True
) -> list[PeriodFigures]:
    """The figures of each period: one pass for all of them, then (``extras``) the
    population and the IM students of each (two small queries per period)."""
    judged = [(period, period.as_of(today)) for period in periods]
    rows = _figures_rows(user, judged)
    return [
        _period_result(user, period, as_of, row, extras=extras)
        for (period, as_of), row in zip(judged, rows, strict=True)
    ]


def trend_periods(period: Period, count: int = TREND_PERIODS) -> list[Period]:
    """The period and the ``count - 1`` periods of the same length before it, oldest first."""
    periods = [period]
    for _index in range(count - 1):
        periods.insert(0, periods[0].previous())
    return periods


def trend(
    user: User, period: Period, *, today: datetime.date, count: int = TREND_PERIODS
) -> list[PeriodFigures]:
    """The figures of ``trend_periods`` in one pass (counts and shares only: no population
    or IM students)."""
    return period_figures(user, trend_periods(period, count), today=today, extras=False)


def key_figures_with_trend(
    *, user: User, period: Period, today: datetime.date, year_ago: bool = False
) -> tuple[KeyFigures, list[PeriodFigures]]:
    """The key figures (and, with ``year_ago``, the same period a year earlier) and the
    trend, all from one pass: the dashboard and the board report need them together.

    The trend's last two periods are the current and the previous period, so they are
    judged once; a half-year's year earlier is in the trend too.
    """
    periods = trend_periods(period)
    earlier = period.year_earlier()
    if year_ago and earlier not in periods:
        periods.append(earlier)
    # The population and the IM students only for the periods the tables show.
    shown = {period, period.previous()} | ({earlier} if year_ago else set())
    judged = [(each, each.as_of(today)) for each in periods]
    rows = _figures_rows(user, judged)
    results = {
        each: _period_result(user, each, as_of, row, extras=each in shown)
        for (each, as_of), row in zip(judged, rows, strict=True)
    }
    figures = KeyFigures(
        current=results[period],
        previous=results[period.previous()],
        coordinators=coordinator_loads(user, today=today),
        year_ago=results[earlier] if year_ago else None,
    )
    return figures, [results[each] for each in trend_periods(period)]


def _period_result(
    user: User, period: Period, as_of: datetime.date, row: dict[str, Any], *, extras: bool
) -> PeriodFigures:
    kinds = list(OCCUPATION_SCB_CATEGORY)
    by_occupation: dict[str, int] = {}
    for kind in kinds:
        category = str(OCCUPATION_SCB_CATEGORY[kind])
        by_occupation[category] = by_occupation.get(category, 0) + row.pop(f"kind:{kind}")
    by_occupation[UNKNOWN_CATEGORY] = by_occupation.get(UNKNOWN_CATEGORY, 0) + row.pop(
        "no_occupation_recorded"
    )

    median_counts = {
        "median_days_to_first_attempt": row.pop("with_first_attempt"),
        "median_days_to_contact": row.pop("with_contact"),
    }
    medians = {code: row.pop(code) for code in MEDIAN_FIGURES}
    population = (
        PopulationFigure.objects.for_user(user)
        .filter(as_of__lte=period.end)
        .order_by("-as_of")
        .values_list("count", flat=True)
        .first()
        if extras
        else None
    )
    values: dict[str, int | float | None] = dict(row)
    values["reached_within_4_weeks_share"] = share(
        row["reached_within_4_weeks"], row["judged_4_weeks"]
    )
    values["in_activity_share"] = share(row["in_activity"], row["active"])
    values.update(
        {code: None if value is None else float(value) for code, value in medians.items()}
    )
    values["im_students"] = im_students_on(user, as_of) if extras else None
    values["population_16_19"] = population
    return PeriodFigures(
        period=period,
        as_of=as_of,
        values=values,
        by_occupation=by_occupation,
        median_counts=median_counts,
    )


# The same definitions as ORM aggregates over annotated enrolments, for the regional
# figures (reports.selectors.regional), which group several municipalities in one query.
# The municipality's own figures above use the set-based pass instead.


class MedianDays(Aggregate):
    """PostgreSQL: the median of (a date - registered_on) in days, in the same aggregate query.

    A date minus a date is a whole number of days in PostgreSQL.
    """

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY (%(expressions)s))"
    arg_joiner = " - "
    output_field = FloatField()

    def __init__(self, later: str, **extra: Any) -> None:
        super().__init__(F(later), F("registered_on"), **extra)


def _annotated_enrolments(
    user: User | None, as_of: datetime.date, *, municipality_ids: Sequence[int] = ()
) -> QuerySet[Enrolment]:
    """The municipality's enrolments with first attempt, contact and latest occupation by ``as_of``.

    With ``municipality_ids`` (and no user): those municipalities' enrolments, for the
    regional figures (reports.selectors.regional), which never read a person.
    """
    attempts = ContactAttempt.objects.filter(enrolment=OuterRef("pk"), date__lte=as_of)
    first_attempt = attempts.order_by("date").values("date")[:1]
    contact = attempts.filter(outcome=Outcome.REACHED).order_by("date").values("date")[:1]
    latest_occupation = (
        Occupation.objects.filter(enrolment=OuterRef("pk"), from_date__lte=as_of)
        .order_by("-from_date", "-id")
        .values("kind")[:1]
    )
    base = (
        Enrolment.objects.for_user(user)
        if user is not None
        else Enrolment.objects.filter(municipality_id__in=municipality_ids)
    )
    return base.annotate(
        first_attempt_on=Subquery(first_attempt, output_field=DateField()),
        contact_on=Subquery(contact, output_field=DateField()),
        latest_kind=Subquery(latest_occupation),
        contact_goal_day=ExpressionWrapper(
            F("registered_on") + datetime.timedelta(days=CONTACT_GOAL_DAYS),
            output_field=DateField(),
        ),
    ).order_by()


def period_aggregates(period: Period, as_of: datetime.date) -> dict[str, Aggregate]:
    """The one aggregate per figure over annotated enrolments (grouped or not)."""
    active = Q(registered_on__lte=as_of) & (Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
    registered = Q(registered_on__gte=period.start, registered_on__lte=period.end)
    judged = registered & Q(registered_on__lte=as_of - datetime.timedelta(days=CONTACT_GOAL_DAYS))
    kinds = list(OCCUPATION_SCB_CATEGORY)
    aggregates: dict[str, Aggregate] = {
        "active": Count("pk", filter=active),
        "active_during": Count(
            "pk",
            filter=Q(registered_on__lte=period.end)
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=period.start)),
        ),
        "new_registrations": Count("pk", filter=registered),
        "dropouts_this_school_year": Count(
            "pk",
            filter=registered
            & Q(source=Source.DROPOUT_NATIONAL_PROGRAMME)
            & Q(registered_on__gte=school_year_start(as_of)),
        ),
        "not_reached": Count("pk", filter=active & Q(contact_on__isnull=True)),
        "judged_4_weeks": Count("pk", filter=judged),
        "reached_within_4_weeks": Count(
            "pk", filter=judged & Q(contact_on__lte=F("contact_goal_day"))
        ),
        "in_activity": Count("pk", filter=active & Q(latest_kind__in=OCCUPATIONS_IN_ACTIVITY)),
        "returned_to_studies": Count(
            "pk",
            filter=Q(
                ended_on__gte=period.start,
                ended_on__lte=period.end,
                end_reason=EndReason.STARTED_UPPER_SECONDARY,
            ),
        ),
        "no_occupation_recorded": Count("pk", filter=active & Q(latest_kind__isnull=True)),
    }
    for kind in kinds:
        aggregates[f"kind:{kind}"] = Count("pk", filter=active & Q(latest_kind=kind))
    aggregates["with_first_attempt"] = Count(
        "pk", filter=registered & Q(first_attempt_on__isnull=False)
    )
    aggregates["with_contact"] = Count("pk", filter=registered & Q(contact_on__isnull=False))
    if connection.vendor == "postgresql":
        aggregates["median_days_to_first_attempt"] = MedianDays(
            "first_attempt_on", filter=registered & Q(first_attempt_on__isnull=False)
        )
        aggregates["median_days_to_contact"] = MedianDays(
            "contact_on", filter=registered & Q(contact_on__isnull=False)
        )
    return aggregates


def figures_from_row(
    row: dict[str, Any],
    *,
    period: Period,
    as_of: datetime.date,
    enrolments: QuerySet[Enrolment],
    im_students: int,
    population: int | None,
) -> PeriodFigures:
    """One period's figures from an aggregate row of ``period_aggregates``."""
    row = dict(row)
    kinds = list(OCCUPATION_SCB_CATEGORY)
    registered = Q(registered_on__gte=period.start, registered_on__lte=period.end)
    by_occupation: dict[str, int] = {}
    for kind in kinds:
        category = str(OCCUPATION_SCB_CATEGORY[kind])
        by_occupation[category] = by_occupation.get(category, 0) + row.pop(f"kind:{kind}")
    by_occupation[UNKNOWN_CATEGORY] = by_occupation.get(UNKNOWN_CATEGORY, 0) + row.pop(
        "no_occupation_recorded"
    )

    median_counts = {
        "median_days_to_first_attempt": row.pop("with_first_attempt"),
        "median_days_to_contact": row.pop("with_contact"),
    }
    if connection.vendor == "postgresql":
        medians = {code: row.pop(code) for code in MEDIAN_FIGURES}
    else:
        # SQLite (the demo) has no percentile_cont: one flat list of dates instead.
        dates = list(
            enrolments.filter(registered).values_list(  # type: ignore[misc]
                "registered_on", "first_attempt_on", "contact_on"
            )
        )
        medians = {
            "median_days_to_first_attempt": median_days((r[0], r[1]) for r in dates),
            "median_days_to_contact": median_days((r[0], r[2]) for r in dates),
        }
    values: dict[str, int | float | None] = dict(row)
    values["reached_within_4_weeks_share"] = share(
        row["reached_within_4_weeks"], row["judged_4_weeks"]
    )
    values["in_activity_share"] = share(row["in_activity"], row["active"])
    values.update(
        {code: None if value is None else float(value) for code, value in medians.items()}
    )
    values["im_students"] = im_students
    values["population_16_19"] = population
    return PeriodFigures(
        period=period,
        as_of=as_of,
        values=values,
        by_occupation=by_occupation,
        median_counts=median_counts,
    )


def _coordinator_name(row: Mapping[str, Any]) -> str:
    """The coordinator's full name, else the username; "" for the unassigned."""
    if row["coordinator_id"] is None:
        return ""
    full_name = f"{row['coordinator__first_name']} {row['coordinator__last_name']}".strip()
    return full_name or row["coordinator__username"]


def coordinator_loads(user: User, *, today: datetime.date) -> list[CoordinatorLoad]:
    """Today's caseload and overdue routine steps per coordinator (unassigned last)."""
    rows = (
        Enrolment.objects.for_user(user)
        .filter(ended_on__isnull=True)
        .values(
            "coordinator_id",
            "coordinator__username",
            "coordinator__first_name",
            "coordinator__last_name",
        )
        .annotate(
            caseload=Count("pk"),
            overdue=Count("pk", filter=Q(routine_state__overdue_after__lt=today)),
        )
        .order_by("coordinator__last_name", "coordinator__first_name", "coordinator_id")
    )
    loads = [
        CoordinatorLoad(
            coordinator_id=row["coordinator_id"],
            name=_coordinator_name(row),
            caseload=row["caseload"],
            overdue=row["overdue"],
        )
        for row in rows
    ]
    return sorted(loads, key=lambda load: load.coordinator_id is None)


def key_figures(*, user: User, period: Period, today: datetime.date) -> KeyFigures:
    """The period's figures and the previous period's, and today's per-coordinator table."""
    # One pass per period: each query's plan stays one occupation window over one municipality.
    (current,) = period_figures(user, [period], today=today)
    (previous,) = period_figures(user, [period.previous()], today=today)
    return KeyFigures(
        current=current,
        previous=previous,
        coordinators=coordinator_loads(user, today=today),
    )
