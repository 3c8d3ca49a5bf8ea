"""Loading the SCB export's facts for a half-year: four queries of plain values, whatever the size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from casework.models import ContactAttempt, Measure, Outcome
from registry.models import Enrolment, Occupation, User, Youth
from registry.models.youth import OCCUPATION_SCB_CATEGORY

from ..models import ScbExport
from ..scb import (
    FileDiff,
    HalfYear,
    MeasureFact,
    Problem,
    ScbFacts,
    ScbFile,
    build_file,
    diff_files,
    load_layout,
)

CONTACT_OUTCOMES = (Outcome.REACHED, Outcome.DECLINED)


def scb_facts(user: User, half_year: HalfYear) -> list[ScbFacts]:
    """One ScbFacts per young person with an enrolment active some day of the half-year.

    A young person with two such enrolments is reported with the latest one. Plain
    values in four queries (enrolments with their young person, occupations,
    measures, contact attempts), whatever the number of rows: no model instances.
    """
    enrolments = (
        Enrolment.objects.for_user(user)
        .filter(registered_on__lte=half_year.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=half_year.start))
    )
    latest: dict[int, tuple] = {}
    for row in enrolments.order_by("youth_id", "-registered_on", "-id").values_list(
        "youth_id",
        "id",
        "youth__personnummer",
        "youth__birth_date",
        "youth__is_im_student",
        "registered_on",
        "source",
        "ended_on",
        "end_reason",
        "end_reason_text",
    ):
        latest.setdefault(row[0], row)
    # The related rows of every enrolment read above (a subquery, not a list of ids).
    enrolment_ids = enrolments.values("id")
    occupations: dict[int, list[tuple]] = defaultdict(list)
    for enrolment_id, from_date, kind in (
        Occupation.objects.filter(enrolment_id__in=enrolment_ids)
        .order_by("from_date", "id")
        .values_list("enrolment_id", "from_date", "kind")
    ):
        occupations[enrolment_id].append((from_date, kind))
    measures: dict[int, list[MeasureFact]] = defaultdict(list)
    for enrolment_id, kind, starts_on, ended_on in (
        Measure.objects.filter(plan__enrolment_id__in=enrolment_ids)
        .order_by("starts_on", "id")
        .values_list("plan__enrolment_id", "type", "starts_on", "ended_on")
    ):
        measures[enrolment_id].append(MeasureFact(kind, starts_on, ended_on))
    attempts: dict[int, list[tuple]] = defaultdict(list)
    for enrolment_id, date, outcome in (
        ContactAttempt.objects.filter(enrolment_id__in=enrolment_ids, outcome__in=CONTACT_OUTCOMES)
        .order_by("date", "id")
        .values_list("enrolment_id", "date", "outcome")
    ):
        attempts[enrolment_id].append((date, outcome))
    return [
        _facts(row, occupations[row[1]], measures[row[1]], attempts[row[1]])
        for row in latest.values()
    ]


def _facts(
    row: tuple,
    occupations: list[tuple],
    measures: list[MeasureFact],
    attempts: list[tuple],
) -> ScbFacts:
    (
        youth_id,
        enrolment_id,
        personnummer,
        birth_date,
        is_im_student,
        registered_on,
        source,
        ended_on,
        end_reason,
        end_reason_text,
    ) = row
    return ScbFacts(
        youth_id=youth_id,
        enrolment_id=enrolment_id,
        personnummer=personnummer,
        birth_date=birth_date,
        is_im_student=is_im_student,
        registered_on=registered_on,
        source=source,
        ended_on=ended_on,
        end_reason=end_reason,
        end_reason_text=end_reason_text,
        occupations=tuple(occupations),
        measures=tuple(measures),
        declined_on=tuple(date for date, outcome in attempts if outcome == Outcome.DECLINED),
        contacts_on=tuple(date for date, _outcome in attempts),
    )


@dataclass(frozen=True)
class ScbPreview:
    half_year: HalfYear
    file: ScbFile
    previous: ScbExport | None
    diff: FileDiff | None


def scb_file(user: User, half_year: HalfYear) -> ScbFile:
    return build_file(
        scb_facts(user, half_year),
        half_year,
        layout=load_layout(),
        municipality_code=user.municipality.code if user.municipality else "",
        category_of=OCCUPATION_SCB_CATEGORY,
    )


def latest_export(user: User, half_year: HalfYear) -> ScbExport | None:
    """The file last exported for this half-year (the one SCB holds now)."""
    return (
        ScbExport.objects.for_user(user)
        .filter(period_from=half_year.start, period_to=half_year.end)
        .order_by("-created_at", "-id")
        .first()
    )


def scb_preview(user: User, half_year: HalfYear) -> ScbPreview:
    """The file as it would be exported now, its problems and what changed since the last one."""
    built = scb_file(user, half_year)
    previous = latest_export(user, half_year)
    diff = diff_files(previous.content, built.content, layout=load_layout()) if previous else None
    return ScbPreview(half_year=half_year, file=built, previous=previous, diff=diff)


def scb_exports(user: User) -> list[ScbExport]:
    return list(
        ScbExport.objects.for_user(user)
        .select_related("created_by")
        .defer("content")
        .order_by("-created_at", "-id")[:20]
    )


def problem_youths(user: User, problems: list[Problem]) -> dict[int, Youth]:
    """The young people the pre-checks name, by id (one query), for their names in the list."""
    ids = {problem.youth_id for problem in problems if problem.youth_id is not None}
    return {
        youth.pk: youth
        for youth in Youth.objects.visible_to(user)
        .filter(pk__in=ids)
        .only("first_name", "last_name", "personnummer")
    }
