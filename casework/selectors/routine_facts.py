"""The one loader of the contact routine's inputs (docs/architecture.md, "Where each rule lives").

Every caller of ``casework.routine`` (the contact section, the routine API, the
worklist of a past day, the stored RoutineState and the compliance report)
gets the routine's facts here: the registration and end dates, the attempts,
the latest occupation at the end, the mapping's date and the municipality's
day counts. Two
queries however many enrolments.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Case, OuterRef, QuerySet, Subquery, When

from registry.models import Enrolment, Occupation

from .. import routine
from ..models import ContactAttempt


def occupation_at_end() -> Case:
    """The kind of the latest occupation recorded on or before the end (None when not ended)."""
    latest = Subquery(
        Occupation.objects.filter(enrolment=OuterRef("pk"), from_date__lte=OuterRef("ended_on"))
        .order_by("-from_date", "-pk")
        .values("kind")[:1]
    )
    # The CASE spares the subquery for every active enrolment.
    return Case(When(ended_on__isnull=False, then=latest), default=None)


DAY_FIELDS = tuple(routine.RoutineDays.__dataclass_fields__)


def routine_facts_for(
    enrolments: QuerySet[Enrolment] | Sequence[Enrolment] | Iterable[int],
    *,
    attempts_until: datetime.date | None = None,
) -> dict[int, routine.Facts]:
    """The routine's facts of each enrolment, by enrolment id.

    Two queries: the enrolments with their occupation at the end, the date of
    their mapping and their municipality's day counts (joined), then the
    attempts. ``enrolments``: a queryset (used as a subquery, so a large set
    is never sent as a list of ids), enrolment ids, or enrolments already
    loaded. No access check is made here: pass only enrolments the caller may
    see. ``attempts_until`` leaves out attempts dated after that day
    (``routine.evaluate`` does not count them on an earlier day anyway).
    """
    scope: Any  # a subquery of ids, or the ids
    if isinstance(enrolments, QuerySet):
        scope = enrolments.order_by().values("pk")
        rows = _rows(Enrolment.objects.filter(pk__in=scope))
    else:
        given = [e.pk if isinstance(e, Enrolment) else e for e in enrolments]
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

    days: dict[int, routine.RoutineDays] = {}
    facts = {}
    for pk, municipality_id, registered_on, ended_on, kind, mapped_on, *counts in rows:
        if municipality_id not in days:
            # No settings row (NULL counts): the routine's defaults.
            days[municipality_id] = (
                routine.RoutineDays(**dict(zip(DAY_FIELDS, counts, strict=True)))
                if counts[0] is not None
                else routine.RoutineDays()
            )
        facts[pk] = routine.Facts(
            registered_on=registered_on,
            ended_on=ended_on,
            attempts=tuple(attempts.get(pk, ())),
            days=days[municipality_id],
            occupation_at_end=kind,
            mapped_on=mapped_on,
        )
    return facts


def _rows(enrolments: QuerySet[Enrolment]) -> list[tuple[Any, ...]]:
    return list(
        enrolments.annotate(occupation_at_end=occupation_at_end())
        .order_by("pk")
        .values_list(
            "pk",
            "municipality_id",
            "registered_on",
            "ended_on",
            "occupation_at_end",
            "mapping__date",
            *(f"municipality__routine_settings__{name}" for name in DAY_FIELDS),
        )
    )


def routine_facts_of(enrolment: Enrolment) -> routine.Facts:
    """One enrolment's facts (the same two queries)."""
    return routine_facts_for([enrolment])[enrolment.pk]
