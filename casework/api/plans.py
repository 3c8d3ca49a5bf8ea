"""docs/api.md, "Plans and mapping": the plan with ``missing``, its measures, the mapping.

Every write names the ``version`` it was based on; a stale version answers 409
and changes nothing, with the record as stored now under ``current``.
Another municipality's enrolment or measure answers 404.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kaa.api.auth import CASE_ROLES, require_role
from kaa.api.errors import ApiError, from_django_validation_error, not_found
from registry.access_log import access_log_read
from registry.http import KaaRequest
from registry.models import AccessLog, Enrolment, User

from .. import completeness
from ..completeness import missing_items
from ..models import Actor, Mapping, Measure
from ..selectors import plans as selectors
from ..selectors.enrolments import actor_named, enrolment_with_plan, measure_visible
from ..services import plans as services

router = Router(tags=["plans"])

# The accepted codes come from ``casework.completeness`` ("" clears an optional one).
if TYPE_CHECKING:
    ResponsibleCode: TypeAlias = str
    EvaluationResultCode: TypeAlias = str
    MeasureTypeCode: TypeAlias = str
else:
    ResponsibleCode = Literal[(*completeness.RESPONSIBLES, "")]
    EvaluationResultCode = Literal[(*completeness.EVALUATION_RESULTS, "")]
    MeasureTypeCode = Literal[completeness.MEASURE_TYPES]


class MeasureOut(Schema):
    id: int
    enrolment: int
    type: str
    description: str
    responsible: str
    actor: int | None
    actor_name: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    follow_up_on: datetime.date | None
    evaluate_on: datetime.date | None
    ended_on: datetime.date | None
    end_reason: str
    evaluation_result: str
    evaluation: str
    followed_up_at: datetime.date | None
    follow_up_note: str
    version: int


class PlanOut(Schema):
    enrolment: int
    goal: str
    planning: str
    version: int
    missing: list[int]
    measures: list[MeasureOut]


class PlanIn(Schema):
    goal: str | None = None
    planning: str | None = None
    version: int


class MeasureCreateIn(Schema):
    type: MeasureTypeCode = completeness.MEASURE_OTHER
    description: str = ""
    responsible: ResponsibleCode = ""
    # The actor's id, or its name as in the municipality's list of actors.
    actor: int | str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    follow_up_on: datetime.date | None = None
    evaluate_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    end_reason: str = ""
    evaluation_result: EvaluationResultCode = ""
    evaluation: str = ""
    followed_up_at: datetime.date | None = None
    follow_up_note: str = ""


class MeasurePatchIn(Schema):
    type: MeasureTypeCode | None = None
    description: str | None = None
    responsible: ResponsibleCode | None = None
    actor: int | str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    follow_up_on: datetime.date | None = None
    evaluate_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    end_reason: str | None = None
    evaluation_result: EvaluationResultCode | None = None
    evaluation: str | None = None
    followed_up_at: datetime.date | None = None
    follow_up_note: str | None = None
    version: int


class MappingOut(Schema):
    enrolment: int
    date: datetime.date | None
    situation: str
    interests: str
    needs: str
    obstacles: str
    own_goal: str
    version: int


class MappingIn(Schema):
    date: datetime.date | None = None
    situation: str | None = None
    interests: str | None = None
    needs: str | None = None
    obstacles: str | None = None
    own_goal: str | None = None
    version: int


class ConflictOut(Schema):
    errors: dict[str, list[str]]
    current: dict[str, Any]
    changed_by: str | None
    # The fields the other writer changed since the version that was sent.
    changed: list[str]


class ActorOut(Schema):
    id: int
    name: str
    is_active: bool


def _user(request: KaaRequest) -> User:
    require_role(request, *CASE_ROLES)
    return request.user


def _enrolment(request: KaaRequest, enrolment_id: int) -> Enrolment:
    enrolment = enrolment_with_plan(user=_user(request), pk=enrolment_id)
    if enrolment is None:
        raise not_found()
    return enrolment


def _measure_out(measure: Measure, enrolment_id: int) -> dict[str, Any]:
    return {
        "id": measure.pk,
        "enrolment": enrolment_id,
        **{field: getattr(measure, field) for field in services.MEASURE_FIELDS if field != "actor"},
        "actor": measure.actor_id,
        "actor_name": measure.actor.name if measure.actor is not None else "",
        "version": measure.version,
    }


def _plan_out(enrolment: Enrolment) -> dict[str, Any]:
    plan = selectors.plan_of(enrolment)
    measures = list(plan.measures.all()) if plan else []
    return {
        "enrolment": enrolment.pk,
        "goal": plan.goal if plan else "",
        "planning": plan.planning if plan else "",
        "version": plan.version if plan else 0,
        "missing": missing_items(selectors.facts_from_plan(plan), today=timezone.localdate()),
        "measures": [_measure_out(measure, enrolment.pk) for measure in measures],
    }


def _mapping_out(enrolment: Enrolment, mapping: Mapping | None) -> dict[str, Any]:
    values = {
        field: getattr(mapping, field) if mapping else None for field in services.MAPPING_FIELDS
    }
    return {
        "enrolment": enrolment.pk,
        **{field: (value if value is not None else "") for field, value in values.items()},
        "date": mapping.date if mapping else None,
        "version": mapping.version if mapping else 0,
    }


def _conflict(error: services.StaleVersion, current: dict[str, Any]) -> Status[dict]:
    """409: nothing changed; the client gets what is stored now to compare with its own."""
    changed_by = error.changed_by
    message = _(
        "Versionen %(sent)s är inte längre aktuell: någon annan har sparat version "
        "%(current)s. Inget ändrades; hämta den nya versionen och försök igen."
    ) % {"sent": error.sent_version, "current": error.current_version}
    return Status(
        409,
        {
            "errors": {"version": [message]},
            "current": current,
            "changed_by": changed_by.username if changed_by else None,
            "changed": list(error.changed_fields),
        },
    )


def _resolve_actor(user: User, value: int | str | None, keep: Actor | None = None) -> Actor | None:
    """An active actor of the user's municipality (or the one the measure already has)."""
    if value is None or value == "":
        return None
    actor = actor_named(user=user, value=value, keep=keep)
    if actor is None:
        raise ApiError(400, {"actor": [_("Aktören finns inte i kommunens aktörslista.")]})
    return actor


@router.get("/enrolments/{enrolment_id}/plan/", response=PlanOut, summary="The plan")
def plan_get(request: KaaRequest, enrolment_id: int) -> dict[str, Any]:
    enrolment = _enrolment(request, enrolment_id)
    access_log_read(request, enrolment.youth, AccessLog.Action.API_READ)
    return _plan_out(enrolment)


@router.put(
    "/enrolments/{enrolment_id}/plan/",
    response={200: PlanOut, 409: ConflictOut},
    summary="Save the plan's goal and planning",
)
def plan_put(request: KaaRequest, enrolment_id: int, payload: PlanIn) -> Any:
    enrolment = _enrolment(request, enrolment_id)
    # The answer (the plan, or on 409 the stored one) is a read of the record.
    access_log_read(request, enrolment.youth, AccessLog.Action.API_READ)
    plan = selectors.plan_of(enrolment)
    # As for the mapping: a field left out keeps its stored value; null empties it.
    sent = payload.dict(exclude_unset=True)
    values = {
        field: (sent[field] or "") if field in sent else (getattr(plan, field) if plan else "")
        for field in services.PLAN_FIELDS
    }
    try:
        services.plan_save(
            user=_user(request), enrolment=enrolment, version=payload.version, **values
        )
    except services.StaleVersion as error:
        return _conflict(error, _plan_out(_enrolment(request, enrolment_id)))
    except ValidationError as error:
        raise from_django_validation_error(error) from error
    return _plan_out(_enrolment(request, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}/plan/measures/",
    response={201: MeasureOut},
    summary="Add a measure to the plan",
)
def measure_create(request: KaaRequest, enrolment_id: int, payload: MeasureCreateIn) -> Any:
    enrolment = _enrolment(request, enrolment_id)
    user = _user(request)
    access_log_read(request, enrolment.youth, AccessLog.Action.API_READ)
    fields = payload.dict()
    fields["actor"] = _resolve_actor(user, payload.actor)
    try:
        measure = services.plan_measure_add(user=user, enrolment=enrolment, **fields)
    except ValidationError as error:
        raise from_django_validation_error(error) from error
    return Status(201, _measure_out(measure, enrolment.pk))


def _measure(request: KaaRequest, measure_id: int) -> Measure:
    user = _user(request)
    measure = measure_visible(user=user, pk=measure_id)
    if measure is None:
        raise not_found()
    return measure


@router.get("/measures/{measure_id}/", response=MeasureOut, summary="One measure")
def measure_get(request: KaaRequest, measure_id: int) -> dict[str, Any]:
    measure = _measure(request, measure_id)
    access_log_read(request, measure.plan.enrolment.youth, AccessLog.Action.API_READ)
    return _measure_out(measure, measure.plan.enrolment_id)


@router.patch(
    "/measures/{measure_id}/",
    response={200: MeasureOut, 409: ConflictOut},
    summary="Change a measure",
)
def measure_patch(request: KaaRequest, measure_id: int, payload: MeasurePatchIn) -> Any:
    measure = _measure(request, measure_id)
    user = _user(request)
    # The answer (the measure, or on 409 the stored one) is a read of the record.
    access_log_read(request, measure.plan.enrolment.youth, AccessLog.Action.API_READ)
    fields = payload.dict(exclude_unset=True)
    version = fields.pop("version")
    if "actor" in fields:
        fields["actor"] = _resolve_actor(user, fields["actor"], keep=measure.actor)
    for field, value in list(fields.items()):
        # null clears a date; for text and codes it means "empty".
        if value is None and field not in services.MEASURE_DATE_FIELDS and field != "actor":
            fields[field] = ""
    try:
        updated = services.measure_update(user=user, measure=measure, version=version, **fields)
    except services.StaleVersion as error:
        return _conflict(
            error,
            _measure_out(error.current, measure.plan.enrolment_id),  # type: ignore[arg-type]
        )
    except ValidationError as error:
        raise from_django_validation_error(error) from error
    return _measure_out(updated, measure.plan.enrolment_id)


@router.get("/enrolments/{enrolment_id}/mapping/", response=MappingOut, summary="The mapping")
def mapping_get(request: KaaRequest, enrolment_id: int) -> dict[str, Any]:
    enrolment = _enrolment(request, enrolment_id)
    access_log_read(request, enrolment.youth, AccessLog.Action.API_READ)
    return _mapping_out(enrolment, selectors.mapping_of(enrolment))


@router.put(
    "/enrolments/{enrolment_id}/mapping/",
    response={200: MappingOut, 409: ConflictOut},
    summary="Save the mapping",
)
def mapping_put(request: KaaRequest, enrolment_id: int, payload: MappingIn) -> Any:
    enrolment = _enrolment(request, enrolment_id)
    # The answer (the mapping, or on 409 the stored one) is a read of the record.
    access_log_read(request, enrolment.youth, AccessLog.Action.API_READ)
    mapping = selectors.mapping_of(enrolment)
    sent = payload.dict(exclude_unset=True)
    version = sent.pop("version")
    # A field left out keeps its stored value; null empties it.
    values: dict[str, Any] = {
        field: getattr(mapping, field) if mapping else (None if field == "date" else "")
        for field in services.MAPPING_FIELDS
    }
    for field, value in sent.items():
        values[field] = value if (value is not None or field == "date") else ""
    try:
        saved = services.mapping_save(
            user=_user(request), enrolment=enrolment, version=version, **values
        )
    except services.StaleVersion as error:
        return _conflict(error, _mapping_out(enrolment, error.current))  # type: ignore[arg-type]
    except ValidationError as error:
        raise from_django_validation_error(error) from error
    return _mapping_out(enrolment, saved)


@router.get("/actors/", response=list[ActorOut], summary="The municipality's actors")
def actor_list(request: KaaRequest) -> Any:
    return list(selectors.actors_for_user(_user(request)))
