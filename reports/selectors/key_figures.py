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
from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from casework.models import ContactAttempt, Outcome, RoutineState
from registry.models import EndReason, Enrolment, Occupation, Source, User, Youth
from registry.models.youth import OCCUPATION_SCB_CATEGORY, OCCUPATIONS_IN_ACTIVITY

from ..key_figures import (
    CONTACT_GOAL_DAYS,
    CoordinatorLoad,
    KeyFigures,
    Period,
    PeriodFigures,
    school_year_start,
    share,
)
from ..models import PopulationFigure

UNKNOWN_CATEGORY = "unknown"
MEDIAN_FIGURES = ("median_days_to_first_attempt", "median_days_to_contact")
# Periods in a trend line: this one and three before (two years of half-years).
TREND_PERIODS = 4
ENROLMENT_COLUMNS = ("id", "municipality_id", "registered_on", "ended_on", "source", "end_reason")
# Memory for the pass's hash aggregates (one query at a time; PostgreSQL's default is 4MB).
FACTS_WORK_MEM = "64MB"
# The row of the whole scope (the region's total) among rows grouped by municipality.
TOTAL = None


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
    scope: QuerySet[Enrolment], judged: list[tuple[Period, datetime.date]]
) -> tuple[str, list[Any]]:
    """The SQL and parameters of the enrolments of ``scope`` that the periods' counts can
    include (``scope`` is ``for_user``, the one scoping rule, or the region's members)."""
    queryset = scope.filter(_counted_in(judged)).order_by().values_list(*ENROLMENT_COLUMNS)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # for_user(...) of a user without a municipality is .none()
        columns = ", ".join(ENROLMENT_COLUMNS)
        return f"SELECT {columns} FROM {Enrolment._meta.db_table} WHERE 1 = 0", []  # noqa: S608
    return sql, list(params)


def _facts_cte(
    scope: QuerySet[Enrolment],
    judged: list[tuple[Period, datetime.date]],
    param: _Parameters,
    *,
    lateral: bool = False,
) -> str:
    """``WITH ... facts``: one row per enrolment of the scope, with per period ``k``:

    - first_attempt_k / contact_k: the earliest attempt, and the earliest with outcome
      ``reached``, dated on or before the period's ``as_of`` (the earliest of all when it
      is on or before ``as_of``, else none: one grouping serves every period);
    - kind_k: the occupation with the latest from_date (then id) on or before ``as_of``
      (the largest sortable key "from_date:id:kind" among them: one grouping of the
      occupations serves every period, no sort or window per period);
    - active_k, registered_k, judged_k: the period's row sets of the definitions.

    ``lateral`` (PostgreSQL): the same facts looked up per enrolment through the
    attempts' and occupations' enrolment indexes (``LEFT JOIN LATERAL``), and only
    for an enrolment some count reads them of (active on an ``as_of``, or registered
    in a period), instead of hashing every attempt and occupation of the scope: for a
    region's tens of thousands of enrolments it took a third less time, and for a
    municipality's four-period dashboard pass about half (the hash join read every
    municipality's attempts and occupations). ``facts`` is materialized there: the
    many FILTER clauses would otherwise recompute each per-period column (the
    occupation's kind, the contact date) once per clause.
    """
    scoped_sql, scoped_params = _scoped_enrolments(scope, judged)
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
    latest_keys = []
    per_period = []
    for k, (_period, as_of) in enumerate(judged):
        latest_occupations.append(
            f"MAX({_occupation_key('o')}) FILTER (WHERE o.from_date <= {param(as_of)})"
            f" AS latest_{k}"
        )
        latest_keys.append(f"MAX(o.key) FILTER (WHERE o.from_date <= {param(as_of)}) AS latest_{k}")
        per_period.append(f"""
           CASE WHEN a.first_attempt_on <= {param(as_of)} THEN a.first_attempt_on END
               AS first_attempt_{k},
           CASE WHEN a.contact_on <= {param(as_of)} THEN a.contact_on END AS contact_{k},
           SUBSTR(o.latest_{k}, {OCCUPATION_KEY_LENGTH + 1}) AS kind_{k}""")
    reached = param(Outcome.REACHED.value)
    if lateral:
        needs_occupation = " OR ".join(f"active_{k}" for k in range(len(judged)))
        needs_attempts = " OR ".join(f"active_{k} OR registered_{k}" for k in range(len(judged)))
        # Only table names, fixed SQL and placeholders are interpolated; values in ``param``.
        return f"""
WITH enrolment ({columns}) AS NOT MATERIALIZED ({scoped}),
judged AS NOT MATERIALIZED (
    SELECT e.*,{",".join(_period_flags(judged, param))}
    FROM enrolment e
),
facts AS MATERIALIZED (
    SELECT e.*,{",".join(per_period)}
    FROM judged e
    LEFT JOIN LATERAL (
        SELECT MIN(a.date) AS first_attempt_on,
               MIN(CASE WHEN a.outcome = {reached} THEN a.date END) AS contact_on
        FROM {attempts} a
        WHERE a.enrolment_id = e.id AND a.date <= {param(latest_as_of)} AND ({needs_attempts})
    ) a ON true
    LEFT JOIN LATERAL (
        SELECT {", ".join(latest_keys)}
        FROM (
            -- Each occupation's key built once, not once per period's MAX (OFFSET 0
            -- keeps the planner from inlining the subquery and its expression).
            SELECT o.from_date, {_occupation_key("o")} AS key
            FROM {occupations} o
            WHERE o.enrolment_id = e.id AND o.from_date <= {param(latest_as_of)}
              AND ({needs_occupation})
            OFFSET 0
        ) o
    ) o ON true
)
"""  # noqa: S608 (table names come from the models, values are parameters)
    # Only table names, fixed SQL and placeholders are interpolated; values go in ``param``.
    return f"""
WITH enrolment ({columns}) AS NOT MATERIALIZED ({scoped}),
attempt AS (
    SELECT a.enrolment_id,
           MIN(a.date) AS first_attempt_on,
           MIN(CASE WHEN a.outcome = {reached} THEN a.date END) AS contact_on
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
judged AS NOT MATERIALIZED (
    SELECT e.*,{",".join(_period_flags(judged, param))}
    FROM enrolment e
),
facts AS (
    SELECT e.*,{",".join(per_period)}
    FROM judged e
    LEFT JOIN attempt a ON a.enrolment_id = e.id
    LEFT JOIN occupation o ON o.enrolment_id = e.id
)
"""  # noqa: S608 (table names come from the models, values are parameters)


def _period_flags(judged: list[tuple[Period, datetime.date]], param: _Parameters) -> list[str]:
    """Per period ``k``: whether the enrolment is active on ``as_of``, registered in the
    period, and registered early enough to be judged on the four weeks."""
    flags = []
    for k, (period, as_of) in enumerate(judged):
        judged_until = as_of - datetime.timedelta(days=CONTACT_GOAL_DAYS)
        flags.append(f"""
           (e.registered_on <= {param(as_of)}
            AND (e.ended_on IS NULL OR e.ended_on > {param(as_of)})) AS active_{k},
           (e.registered_on >= {param(period.start)}
            AND e.registered_on <= {param(period.end)}) AS registered_{k},
           (e.registered_on >= {param(period.start)} AND e.registered_on <= {param(period.end)}
            AND e.registered_on <= {param(judged_until)}) AS judged_{k}""")
    return flags


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
    return _grouped_rows(Enrolment.objects.for_user(user), judged, grouped=False)[TOTAL]


def _grouped_rows(
    scope: QuerySet[Enrolment], judged: list[tuple[Period, datetime.date]], *, grouped: bool
) -> dict[int | None, list[dict[str, Any]]]:
    """The rows of ``_figures_rows`` for the whole scope (key ``TOTAL``) and, when
    ``grouped``, for each municipality in it, all in one pass (``GROUP BY ROLLUP``).

    The total is aggregated over the same facts, not summed from the municipalities'
    rows: its medians are the medians of all the day counts. A municipality without a
    row has no enrolment the periods count.
    """
    param = _Parameters()
    lateral = connection.vendor == "postgresql"
    cte = _facts_cte(scope, judged, param, lateral=lateral)
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
    aggregates = ",\n       ".join(selects)
    if not grouped:
        select = f"SELECT NULL, {aggregates}\nFROM facts"
    elif connection.vendor == "postgresql":
        # The empty grouping set of the ROLLUP is the total (municipality_id NULL).
        select = (
            f"SELECT municipality_id, {aggregates}\nFROM facts GROUP BY ROLLUP (municipality_id)"
        )
    else:
        # SQLite (the demo) has no ROLLUP: the total as a second branch over the same facts.
        select = (
            f"SELECT municipality_id, {aggregates}\nFROM facts GROUP BY municipality_id\n"
            f"UNION ALL SELECT NULL, {aggregates}\nFROM facts"
        )
    sql, params = param.compile(cte + select)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if grouped and connection.vendor == "postgresql":
            # For this query only (SET LOCAL): JIT compiling its many FILTER clauses took
            # longer (about 0.5 s for a region of 13 municipalities on the national bench
            # data set) than running it, and a region's facts outgrow the default
            # work_mem (its hash aggregates spilled to disk). A municipality's own pass
            # relies on the connection's jit=off (kaa/settings/base.py): one more query
            # each time is not worth it.
            cursor.execute(f"SET LOCAL jit = off; SET LOCAL work_mem = '{FACTS_WORK_MEM}'")
        cursor.execute(sql, params)
        found = cursor.fetchall()
    result: dict[int | None, list[dict[str, Any]]] = {}
    for municipality_id, *values in found:
        rows: list[dict[str, Any]] = [{} for _judged in judged]
        for (k, name), value in zip(names, values, strict=True):
            rows[k][name] = value
        result[municipality_id] = rows
    if connection.vendor != "postgresql":
        # SQLite (the demo) has no percentile_cont: the day counts of the registrations instead.
        for municipality_id, medians in _medians_in_python(scope, judged, grouped=grouped).items():
            for row, median in zip(result[municipality_id], medians, strict=True):
                row.update(median)
    return result


def _medians_in_python(
    scope: QuerySet[Enrolment], judged: list[tuple[Period, datetime.date]], *, grouped: bool
) -> dict[int | None, list[dict[str, float | None]]]:
    param = _Parameters()
    cte = _facts_cte(scope, judged, param)
    columns = ["municipality_id"]
    for k in range(len(judged)):
        for known in ("first_attempt", "contact"):
            days = _days_between(f"{known}_{k}", "registered_on")
            columns.append(f"CASE WHEN registered_{k} THEN {days} END")
    sql, params = param.compile(f"{cte}SELECT {', '.join(columns)} FROM facts")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    groups: dict[int | None, list[tuple[Any, ...]]] = {TOTAL: rows}
    if grouped:
        for row in rows:
            groups.setdefault(row[0], []).append(row)
    result: dict[int | None, list[dict[str, float | None]]] = {}
    for key, members in groups.items():
        result[key] = []
        for k in range(len(judged)):
            medians: dict[str, float | None] = {}
            for offset, code in enumerate(MEDIAN_FIGURES):
                index = 1 + 2 * k + offset
                known_days = [row[index] for row in members if row[index] is not None]
                medians[code] = float(statistics.median(known_days)) if known_days else None
            result[key].append(medians)
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
    population = (
        PopulationFigure.objects.for_user(user)
        .filter(as_of__lte=period.end)
        .order_by("-as_of")
        .values_list("count", flat=True)
        .first()
        if extras
        else None
    )
    return _figures_of(
        period,
        as_of,
        row,
        im_students=im_students_on(user, as_of) if extras else None,
        population=population,
    )


def _figures_of(
    period: Period,
    as_of: datetime.date,
    row: dict[str, Any],
    *,
    im_students: int | None,
    population: int | None,
) -> PeriodFigures:
    """One period's figures from its row of counts and medians (shares from the counts)."""
    row = dict(row)
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


def _empty_rows(judged: list[tuple[Period, datetime.date]]) -> list[dict[str, Any]]:
    """The rows of a municipality without an enrolment the periods count: zeros, no medians."""
    param = _Parameters()
    rows: list[dict[str, Any]] = []
    for period, as_of in judged:
        row: dict[str, Any] = dict.fromkeys(_count_conditions(0, period, as_of, param), 0)
        row.update(dict.fromkeys(MEDIAN_FIGURES))
        rows.append(row)
    return rows


def figures_by_municipality(
    municipality_ids: Sequence[int], periods: list[Period], *, today: datetime.date
) -> tuple[dict[int, list[PeriodFigures]], list[PeriodFigures]]:
    """Each period's figures for each of the municipalities and for all of them together.

    For the regional figures (docs/domain.md, "Regions and moves"): the same pass as a
    municipality's own key figures, over the members' enrolments, grouped by
    municipality with the total in the same query (``_grouped_rows``); then the
    population figures (one query) and the IM students (one grouped query per
    period). A fixed number of queries, whatever the number of municipalities.
    Only counts leave the database.
    """
    ids = list(municipality_ids)
    judged = [(period, period.as_of(today)) for period in periods]
    rows = _grouped_rows(Enrolment.objects.filter(municipality_id__in=ids), judged, grouped=True)
    empty = _empty_rows(judged)
    latest_end = max(period.end for period in periods)
    population_figures: dict[int, list[tuple[datetime.date, int]]] = {}
    for municipality_id, as_of, count in (
        PopulationFigure.objects.filter(municipality_id__in=ids, as_of__lte=latest_end)
        .order_by("municipality_id", "-as_of")
        .values_list("municipality_id", "as_of", "count")
    ):
        population_figures.setdefault(municipality_id, []).append((as_of, count))

    def population_of(municipality_id: int, period: Period) -> int | None:
        figures = population_figures.get(municipality_id, [])
        return next((count for as_of, count in figures if as_of <= period.end), None)

    per_municipality: dict[int, list[PeriodFigures]] = {mid: [] for mid in ids}
    total: list[PeriodFigures] = []
    for k, (period, as_of) in enumerate(judged):
        im_students = im_students_by_municipality(ids, as_of)
        populations = {mid: population_of(mid, period) for mid in ids}
        for mid in ids:
            per_municipality[mid].append(
                _figures_of(
                    period,
                    as_of,
                    rows[mid][k] if mid in rows else empty[k],
                    im_students=im_students.get(mid, 0),
                    population=populations[mid],
                )
            )
        known = [count for count in populations.values() if count is not None]
        total.append(
            _figures_of(
                period,
                as_of,
                rows[TOTAL][k],
                im_students=sum(im_students.values()),
                # The region's population only when every member has one (no partial sum).
                population=sum(known) if ids and len(known) == len(ids) else None,
            )
        )
    return per_municipality, total


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
            # Looked up per active enrolment (the routine state's primary key), not joined:
            # the join hashed every municipality's routine states (55 ms against 9 ms for
            # 6,000 active enrolments on the national bench data set).
            overdue=Count(
                "pk",
                filter=Q(
                    Exists(
                        RoutineState.objects.filter(
                            enrolment_id=OuterRef("pk"), overdue_after__lt=today
                        )
                    )
                ),
            ),
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
    # One pass per period (the per-enrolment lookups make each about 50 ms for 6,000 active
    # on the national bench data set; one pass for both saves only about 20 ms).
    (current,) = period_figures(user, [period], today=today)
    (previous,) = period_figures(user, [period.previous()], today=today)
    return KeyFigures(
        current=current,
        previous=previous,
        coordinators=coordinator_loads(user, today=today),
    )
