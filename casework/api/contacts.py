"""docs/api.md, "Contact attempts" and "The routine": ``GET/POST /api/v1/enrolments/{id}/contacts/`` and ``GET …/routine/``."""

import datetime
from typing import TYPE_CHECKING, Literal, TypeAlias

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kaa.api.auth import CASE_ROLES, require_role
from kaa.api.errors import from_django_validation_error, not_found
from kaa.api.pagination import PageNumberPagination
from registry.access_log import access_log_read
from registry.http import KaaRequest
from registry.models import AccessLog, Enrolment, Youth

from .. import routine
from ..selectors.contacts import contact_attempts_of
from ..selectors.enrolments import visible_enrolment
from ..selectors.routine_facts import routine_facts_of
from ..services.contacts import contact_attempt_record

router = Router(tags=["contacts"])

# The accepted codes come from ``casework.routine`` (the OpenAPI document lists them).
if TYPE_CHECKING:
    ChannelCode: TypeAlias = str
    PartyCode: TypeAlias = str
    OutcomeCode: TypeAlias = str
else:
    ChannelCode = Literal[routine.CHANNELS]
    PartyCode = Literal[routine.PARTIES]
    OutcomeCode = Literal[routine.OUTCOMES]


class ContactAttemptIn(Schema):
    date: datetime.date
    channel: ChannelCode
    party: PartyCode = "youth"
    outcome: OutcomeCode
    note: str = ""
    staff: str = Field("", description="Who made a home visit (two staff members).")


class ContactAttemptOut(Schema):
    id: int
    enrolment: int = Field(..., alias="enrolment_id")
    date: datetime.date
    channel: str
    party: str
    outcome: str
    note: str
    staff: str


class NextStepOut(Schema):
    code: str
    due: datetime.date
    overdue: bool


class RoutineOut(Schema):
    enrolment: int
    as_of: datetime.date
    contact_established_on: datetime.date | None
    next_step: NextStepOut | None
    deviations: list[str]


class RoutineQuery(Schema):
    as_of: datetime.date | None = None


def _enrolment(request: KaaRequest, enrolment_id: int) -> Enrolment:
    """The caller's enrolment, or 404 (never 403) for another municipality's or a hidden one."""
    require_role(request, *CASE_ROLES)
    enrolment = visible_enrolment(user=request.user, pk=enrolment_id, related=("youth",))
    if enrolment is None:
        raise not_found()
    return enrolment


def _log_read(request: KaaRequest, youth: Youth) -> None:
    """Every read of a young person's record is logged."""
    access_log_read(request, youth, AccessLog.Action.API_READ)


@router.get(
    "/{enrolment_id}/contacts/",
    response=list[ContactAttemptOut],
    summary="The contact attempts of an enrolment",
)
@paginate(PageNumberPagination)
def contact_list(request: KaaRequest, enrolment_id: int):
    enrolment = _enrolment(request, enrolment_id)
    _log_read(request, enrolment.youth)
    return contact_attempts_of(enrolment)


@router.post(
    "/{enrolment_id}/contacts/",
    response={201: ContactAttemptOut},
    summary="Log a contact attempt",
)
def contact_create(request: KaaRequest, enrolment_id: int, payload: ContactAttemptIn):
    enrolment = _enrolment(request, enrolment_id)
    user = request.user
    try:
        attempt = contact_attempt_record(user=user, enrolment=enrolment, **payload.dict())
    except ValidationError as error:
        raise from_django_validation_error(error) from error
    return Status(201, attempt)


@router.get(
    "/{enrolment_id}/routine/",
    response=RoutineOut,
    summary="What the contact routine says on a day (default today)",
)
def routine_on(request: KaaRequest, enrolment_id: int, query: Query[RoutineQuery]):
    enrolment = _enrolment(request, enrolment_id)
    as_of = query.as_of or timezone.localdate()
    result = routine_facts_of(enrolment).evaluate(as_of)
    _log_read(request, enrolment.youth)
    return {
        "enrolment": enrolment.pk,
        "as_of": as_of,
        "contact_established_on": result.contact_established_on,
        "next_step": result.next_step,
        "deviations": result.deviations,
    }
