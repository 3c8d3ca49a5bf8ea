"""Loading the SCB export's facts for a half-year: a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

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

    A young person with two such enrolments is reported with the latest one.
    """
    enrolments = (
        Enrolment.objects.for_user(user)
        .filter(registered_on__lte=half_year.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=half_year.start))
        .select_related("youth", "plan")
        .prefetch_related(  # type: ignore[type-var]
            Prefetch(
                "occupations",
                queryset=Occupation.objects.only("enrolment_id", "from_date", "kind").order_by(
                    "from_date", "id"
                ),
            ),
            Prefetch(
                "plan__measures",
                queryset=Measure.objects.only("plan_id", "type", "starts_on", "ended_on").order_by(
                    "starts_on", "id"
                ),
            ),
            Prefetch(
                "contact_attempts",
                queryset=ContactAttempt.objects.filter(outcome__in=CONTACT_OUTCOMES).only(
                    "enrolment_id", "date", "outcome"
                ),
            ),
        )
        .order_by("youth_id", "-registered_on", "-id")
    )
    latest: dict[int, Enrolment] = {}
    for enrolment in enrolments:
        latest.setdefault(enrolment.youth_id, enrolment)
    return [_facts(enrolment) for enrolment in latest.values()]


def _facts(enrolment: Enrolment) -> ScbFacts:
    youth = enrolment.youth
    plan = getattr(enrolment, "plan", None)
    measures = plan.measures.all() if plan is not None else []
    attempts = enrolment.contact_attempts.all()  # type: ignore[attr-defined]
    return ScbFacts(
        youth_id=youth.pk,
        enrolment_id=enrolment.pk,
        personnummer=youth.personnummer,
        birth_date=youth.birth_date,
        is_im_student=youth.is_im_student,
        registered_on=enrolment.registered_on,
        source=enrolment.source,
        ended_on=enrolment.ended_on,
        end_reason=enrolment.end_reason,
        end_reason_text=enrolment.end_reason_text,
        occupations=tuple((o.from_date, o.kind) for o in enrolment.occupations.all()),
        measures=tuple(MeasureFact(m.type, m.starts_on, m.ended_on) for m in measures),
        declined_on=tuple(a.date for a in attempts if a.outcome == Outcome.DECLINED),
        contacts_on=tuple(a.date for a in attempts),
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
