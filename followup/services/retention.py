"""Retention (gallring): personal data past the municipality's retention plan is anonymised.

A young person is past retention when none of their enrolments is active and
the last one ended more than ``RetentionPolicy.years_after_end`` years ago (3
when the municipality has set nothing). The job then removes what identifies
them: name, personnummer, address and contact details, guardians, school
notifications' names and personnummer, the free text of notes, mapping, plan
and measures, and every history row of those records (the history holds the
old values). SCB files whose half-year ended past retention lose their content
(they list personnummer); their row counts stay. What the key figures and the
SCB/compliance counts need stays: the enrolments with their dates, source and
end reason, the occupations' kinds and dates, the contact attempts' dates,
channels and outcomes, the measures' types and dates, and the birth year.
Free text that was written is replaced by a marker, not emptied, so the checks
"goal written" / "evaluation written" count the same after as before.

The dry run and the real run use the same selection and the same counts.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Case, CharField, Exists, Max, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, TruncYear

from registry.models import Enrolment, Youth
from reports.services import scb_exports_prune

from ..ageing import add_years
from ..models import AnonymisedYouth, RetentionPolicy

PLACEHOLDER = "[gallrad]"
ANONYMISED_FIRST_NAME = "Gallrad"


@dataclass(frozen=True)
class PersonalData:
    """One model holding personal data: how it reaches the young person and what to clear."""

    model: str  # "app_label.ModelName"
    youth_lookup: str  # lookup from the model (and its history model) to Youth.id
    text_fields: tuple[str, ...] = ()  # written text becomes PLACEHOLDER, empty stays empty
    identity_fields: tuple[str, ...] = ()  # names and the like: emptied
    personnummer_field: str = ""  # replaced by "G" + the young person's id (stays unique)
    delete: bool = False


def anonymous_personnummer(youth_id_field: str) -> Concat:
    """Not a personnummer (letter first), one per young person, so unique constraints hold."""
    return Concat(Value("G"), Cast(youth_id_field, output_field=CharField()))


# Every model with a young person's personal data. A helper adding a model or a
# free-text field with personal data adds it here.
PERSONAL_DATA = (
    PersonalData("registry.Guardian", "youth_id", delete=True),
    PersonalData(
        "registry.SchoolNotification",
        "youth_id",
        identity_fields=("first_name", "last_name"),
        personnummer_field="personnummer",
    ),
    PersonalData("registry.Enrolment", "youth_id", ("school", "end_reason_text")),
    PersonalData("registry.Occupation", "enrolment__youth_id", ("note",)),
    PersonalData("casework.ContactAttempt", "enrolment__youth_id", ("note", "staff")),
    PersonalData(
        "casework.Mapping",
        "enrolment__youth_id",
        ("situation", "interests", "needs", "obstacles", "own_goal"),
    ),
    PersonalData("casework.Plan", "enrolment__youth_id", ("goal", "planning")),
    PersonalData(
        "casework.Measure",
        "plan__enrolment__youth_id",
        ("description", "end_reason", "evaluation", "follow_up_note"),
    ),
)


@dataclass
class RetentionResult:
    dry_run: bool
    youth_ids: list[int] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # model -> rows cleared or deleted
    history_rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["youths"] = len(self.youth_ids)
        return data


def retention_cutoffs(*, today: datetime.date) -> tuple[datetime.date, dict[int, datetime.date]]:
    """The default cutoff and each municipality's own: an end before the cutoff is past retention."""
    default = add_years(today, -RetentionPolicy.DEFAULT_YEARS)
    own = {
        municipality_id: add_years(today, -years)
        for municipality_id, years in RetentionPolicy.objects.values_list(
            "municipality_id", "years_after_end"
        )
    }
    return default, own


def retention_candidates(*, today: datetime.date, municipality_id: int | None = None) -> QuerySet:
    """Young people past retention, not yet anonymised (one query)."""
    default, own = retention_cutoffs(today=today)
    past = Q(last_end__lt=default) & ~Q(municipality_id__in=list(own))
    for own_municipality, cutoff in own.items():
        past |= Q(municipality_id=own_municipality, last_end__lt=cutoff)
    youths = (
        Youth.objects.annotate(
            last_end=Max("enrolments__ended_on"),
            has_active=Exists(
                Enrolment.objects.filter(youth_id=OuterRef("pk"), ended_on__isnull=True)
            ),
            is_anonymised=Exists(AnonymisedYouth.objects.filter(youth_id=OuterRef("pk"))),
        )
        .filter(past, has_active=False, is_anonymised=False)
        .order_by("municipality_id", "last_end", "pk")
    )
    if municipality_id is not None:
        youths = youths.filter(municipality_id=municipality_id)
    return youths


def _history_rows(model: Any, lookup: str, youth_ids: list[int]) -> QuerySet:
    """The simple-history rows of ``model`` about these young people (none without history)."""
    history = getattr(model, "history", None)
    if history is None:
        return model.objects.none()
    return history.model.objects.filter(**{f"{lookup}__in": youth_ids})


def _count(youth_ids: list[int]) -> tuple[dict[str, int], int]:
    rows = {"registry.Youth": len(youth_ids)}
    history_rows = _history_rows(Youth, "id", youth_ids).count()
    for spec in PERSONAL_DATA:
        model = apps.get_model(spec.model)
        rows[spec.model] = model.objects.filter(**{f"{spec.youth_lookup}__in": youth_ids}).count()
        history_rows += _history_rows(model, spec.youth_lookup, youth_ids).count()
    return rows, history_rows


def _cleared(field_name: str) -> Case:
    """Keep an empty text empty, replace a written one by the marker."""
    return Case(When(**{field_name: ""}, then=Value("")), default=Value(PLACEHOLDER))


def retention_run(
    *, today: datetime.date, dry_run: bool = True, municipality_id: int | None = None
) -> RetentionResult:
    """List (dry run) or anonymise (real run) everything past retention."""
    with transaction.atomic():
        youth_ids = list(
            retention_candidates(today=today, municipality_id=municipality_id).values_list(
                "pk", flat=True
            )
        )
        rows, history_rows = _count(youth_ids)
        # SCB files belong to reports: its service clears them by our retention plans.
        default_cutoff, cutoffs = retention_cutoffs(today=today)
        rows["reports.ScbExport"] = scb_exports_prune(
            default_cutoff=default_cutoff,
            cutoffs=cutoffs,
            placeholder=PLACEHOLDER,
            municipality_id=municipality_id,
            dry_run=dry_run,
        )
        result = RetentionResult(
            dry_run=dry_run, youth_ids=youth_ids, rows=rows, history_rows=history_rows
        )
        if dry_run:
            return result
        if youth_ids:
            _anonymise(youth_ids, today=today)
        return result


def _anonymise(youth_ids: list[int], *, today: datetime.date) -> None:
    for spec in PERSONAL_DATA:
        model = apps.get_model(spec.model)
        rows = model.objects.filter(**{f"{spec.youth_lookup}__in": youth_ids})
        if spec.delete:
            rows.delete()
            continue
        updates: dict[str, Any] = {name: _cleared(name) for name in spec.text_fields}
        updates.update({name: Value("") for name in spec.identity_fields})
        if spec.personnummer_field:
            updates[spec.personnummer_field] = anonymous_personnummer(spec.youth_lookup)
        if updates:
            rows.update(**updates)
    # QuerySet.update writes no history rows, so nothing of the old data comes back.
    Youth.objects.filter(pk__in=youth_ids).update(
        personnummer=anonymous_personnummer("id"),
        # The birth year stays for the age figures; the day goes with the personnummer.
        birth_date=TruncYear("birth_date"),
        first_name=ANONYMISED_FIRST_NAME,
        last_name="",
        street="",
        postal_code="",
        city="",
        phone="",
        email="",
    )
    # History last: deleting a guardian has just written a history row with its data.
    _history_rows(Youth, "id", youth_ids).delete()
    for spec in PERSONAL_DATA:
        _history_rows(apps.get_model(spec.model), spec.youth_lookup, youth_ids).delete()
    AnonymisedYouth.objects.bulk_create(
        [AnonymisedYouth(youth_id=youth_id, anonymised_on=today) for youth_id in youth_ids],
        ignore_conflicts=True,
    )


@transaction.atomic
def retention_policy_save(*, user: Any, years_after_end: int) -> RetentionPolicy:
    """Set the user's municipality's retention plan (the history records who changed it)."""
    policy, _created = RetentionPolicy.objects.get_or_create(municipality_id=user.municipality_id)
    policy.years_after_end = years_after_end
    policy._history_user = user  # type: ignore[attr-defined]
    policy.full_clean()
    policy.save()
    return policy
