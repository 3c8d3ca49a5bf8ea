"""The one loader of the contact routine's inputs (docs/architecture.md, "Where a rule lives").

Every caller of ``casework.routine`` (the contact section, the routine API, the
worklist of a past day, the stored RoutineState and the compliance report)
gets the routine's facts here: the registration and end dates, the attempts,
the latest occupation at the end and the municipality's day counts. Three
queries however many enrolments.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Case, OuterRef, QuerySet, Subquery, When

from registry.models import Enrolment, Occupation

from .. import routine
from ..models import ContactAttempt, RoutineSettings


def occupation_at_end() -> Case:
    """The kind of the latest occupation recorded on or before the end (None when not ended)."""
    latest = Subquery(
        Occupation.objects.filter(enrolment=OuterRef("pk"), from_date__lte=OuterRef("ended_on"))
        .order_by("-from_date", "-pk")
        .values("kind")[:1]
    )
    # The CASE spares the subquery for every active enrolment.
    return Case(When(ended_on__isnull=False, then=latest), default=None)


EnrolmentRow = tuple[int, int, datetime.date, datetime.date | None, str | None]


def routine_facts_for(
    enrolments: QuerySet[Enrolment] | Sequence[Enrolment] | Iterable[int],
    *,
    attempts_until: datetime.date | None = None,
) -> dict[int, routine.Facts]:
    """The routine's facts of each enrolment, by enrolment id.

    ``enrolments``: a queryset (used as a subquery, so a large set is never
    sent as a list of ids), enrolment ids (three queries: the enrolments with
    their occupation at the end, the attempts, the day counts) or enrolments
    already loaded (two queries, a third only when one of them has ended). No
    access check is made here: pass only enrolments the caller may see.
    ``attempts_until`` leaves out attempts dated after that day
    (``routine.evaluate`` does not count them on an earlier day anyway).
    """
    scope: QuerySet[Enrolment] | list[int]
    if isinstance(enrolments, QuerySet):
        scope = enrolments.order_by().values("pk")
        rows = _rows(Enrolment.objects.filter(pk__in=scope))
    else:
        given = list(enrolments)
        if given and isinstance(given[0], Enrolment):
            rows = _rows_of(given)  # type: ignore[arg-type]
        else:
            rows = _rows(Enrolment.objects.filter(pk__in=given)) if given else []
        scope = [row[0] for row in rows]
    if not rows:
        return {}

    attempts_query = ContactAttempt.objects.filter(enrolment_id__in=scope)
    if attempts_until is not None:
        attempts_query = attempts_query.filter(date__lte=attempts_until)
    attempts: dict[int, list[routine.Attempt]] = defaultdict(list)
    for enrolment_id, day, channel, outcome in attempts_query.order_by(
        "enrolment_id", "date", "pk"
    ).values_list("enrolment_id", "date", "channel", "outcome"):
        attempts[enrolment_id].append(routine.Attempt(day, channel, outcome))

    days = routine_days_by_municipality({row[1] for row in rows})
    defaults = routine.RoutineDays()
    return {
        pk: routine.Facts(
            registered_on=registered_on,
            ended_on=ended_on,
            attempts=tuple(attempts.get(pk, ())),
            days=days.get(municipality_id, defaults),
            occupation_at_end=kind,
        )
        for pk, municipality_id, registered_on, ended_on, kind in rows
    }


def routine_days_by_municipality(municipality_ids: Iterable[int]) -> dict[int, routine.RoutineDays]:
    """The day counts of the municipalities that have set them (one query; others: defaults)."""
    return {
        settings.municipality_id: routine.RoutineDays.from_settings(settings)
        for settings in RoutineSettings.objects.filter(municipality_id__in=set(municipality_ids))
    }


def _rows(enrolments: QuerySet[Enrolment]) -> list[EnrolmentRow]:
    return list(
        enrolments.annotate(occupation_at_end=occupation_at_end())
        .order_by("pk")
        .values_list("pk", "municipality_id", "registered_on", "ended_on", "occupation_at_end")
    )


def _rows_of(enrolments: list[Enrolment]) -> list[EnrolmentRow]:
    """Rows of enrolments already loaded: only the ended ones need their occupation read."""
    ended = [enrolment.pk for enrolment in enrolments if enrolment.ended_on is not None]
    kinds = (
        {row[0]: row[4] for row in _rows(Enrolment.objects.filter(pk__in=ended))} if ended else {}
    )
    return [
        (e.pk, e.municipality_id, e.registered_on, e.ended_on, kinds.get(e.pk))
        for e in sorted(enrolments, key=lambda e: e.pk)
    ]


def routine_facts_of(enrolment: Enrolment) -> routine.Facts:
    """One enrolment's facts (two queries; three when it has ended)."""
    return routine_facts_for([enrolment])[enrolment.pk]
