"""Incoming moves in the integration API (docs/api.md, "Paths"; docs/domain.md, "Regions and moves").

``GET /moves/`` lists the caller's municipality's incoming moves; register and
dismiss handle one; a move already handled answers 409.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kaa.api.auth import CASE_ROLES, require_role
from kaa.api.errors import ApiError, from_django_validation_error
from kaa.api.pagination import PageNumberPagination

from . import move_selectors, selectors, services
from .api import EnrolmentOut, Errors, YouthOut, _enrolment_out, _log_reads, _youth_response
from .http import KaaRequest

router = Router(tags=["moves"])


class MoveOut(Schema):
    id: int
    personnummer: str
    first_name: str
    last_name: str
    moved_on: datetime.date
    from_municipality: str
    status: str
    protected_identity: bool


class MovePage(Schema):
    count: int
    next: str | None
    results: list[MoveOut]


class MoveRegisterIn(Schema):
    registered_on: datetime.date


class MoveRegisterOut(Schema):
    enrolment: EnrolmentOut
    youth: YouthOut
    youth_created: bool


class MoveDismissIn(Schema):
    reason: str


def _move_out(move) -> dict:
    return {
        "id": move.pk,
        "personnummer": move.personnummer,
        "first_name": move.first_name,
        "last_name": move.last_name,
        "moved_on": move.moved_on,
        "from_municipality": move.from_municipality.code,
        "status": move.status,
        "protected_identity": move.protected_identity,
    }


@router.get("/moves/", response={200: MovePage, 400: Errors}, summary="Incoming moves")
def move_list(request: KaaRequest, status: str = "", page: int = 1) -> dict:
    require_role(request, *CASE_ROLES)
    if page < 1:
        raise ApiError(400, {"page": [_("Sidnumret börjar på 1.")]})
    moves = move_selectors.incoming_moves(user=request.user, status=status or None)
    result = PageNumberPagination().paginate_queryset(
        moves, PageNumberPagination.Input(page=page), request
    )
    rows = list(result["results"])
    services.move_reads_record(
        user=request.user,
        notifications=rows,
        action=services.MOVE_READ_API,
        request=request,
    )
    result["results"] = [_move_out(move) for move in rows]
    return result


@router.post(
    "/moves/{move_id}/register/",
    response={201: MoveRegisterOut, 400: Errors, 404: Errors, 409: Errors},
    summary="Register an incoming move: find or create the young person and enrol them",
)
def move_register(request: KaaRequest, move_id: int, payload: MoveRegisterIn) -> Status:
    require_role(request, *CASE_ROLES)
    move = move_selectors.move_get(user=request.user, pk=move_id)
    try:
        enrolment, youth, created = services.move_register(
            user=request.user,
            notification=move,
            registered_on=payload.registered_on,
        )
    except (services.MoveAlreadyHandled, services.ActiveEnrolmentExists) as error:
        raise from_django_validation_error(error, status=409) from None
    except ValidationError as error:
        raise from_django_validation_error(error) from None
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment.pk)
    _log_reads(request, [youth])
    return Status(
        201,
        {
            "enrolment": _enrolment_out(enrolment),
            "youth": _youth_response(request, enrolment.youth),
            "youth_created": created,
        },
    )


@router.post(
    "/moves/{move_id}/dismiss/",
    response={200: MoveOut, 400: Errors, 404: Errors, 409: Errors},
    summary="Dismiss an incoming move (a reason is required)",
)
def move_dismiss(request: KaaRequest, move_id: int, payload: MoveDismissIn) -> dict:
    require_role(request, *CASE_ROLES)
    move = move_selectors.move_get(user=request.user, pk=move_id)
    try:
        move = services.move_dismiss(
            user=request.user,
            notification=move,
            reason=payload.reason,
        )
    except services.MoveAlreadyHandled as error:
        raise from_django_validation_error(error, status=409) from None
    except ValidationError as error:
        raise from_django_validation_error(error) from None
    return _move_out(move)
