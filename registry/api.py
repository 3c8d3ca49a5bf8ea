"""The registry's part of the integration API (docs/api.md): young people, enrolments,
occupations and school notifications."""

from __future__ import annotations

import datetime
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kaa.api.auth import CASE_ROLES, require_role
from kaa.api.errors import ApiError, from_django_validation_error
from kaa.api.pagination import PageNumberPagination
from kaa.api.throttling import TokenRateThrottle

from . import personnummer as pnr
from . import selectors, services
from .http import KaaRequest
from .models import (
    AccessLog,
    EndReason,
    Enrolment,
    Municipality,
    Occupation,
    OccupationKind,
    Role,
    Source,
    Youth,
)

router = Router(tags=["registry"])


# --- Schemas ---


class YouthIn(Schema):
    personnummer: str
    first_name: str
    last_name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    protected_identity: bool = False
    is_im_student: bool = False


class YouthPatch(Schema):
    personnummer: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    email: str | None = None
    protected_identity: bool | None = None
    is_im_student: bool | None = None


class YouthOut(Schema):
    id: int
    personnummer: str
    birth_date: datetime.date
    municipality: str
    first_name: str
    last_name: str
    street: str | None = Field(description="null when the address is protected from the caller")
    postal_code: str | None
    city: str | None
    phone: str
    email: str
    protected_identity: bool
    is_im_student: bool


class YouthPage(Schema):
    count: int
    next: str | None
    results: list[YouthOut]


class EnrolmentIn(Schema):
    youth: int
    registered_on: datetime.date
    source: Source
    school: str = ""
    coordinator: int | None = None


class EnrolmentEndIn(Schema):
    ended_on: datetime.date
    reason: EndReason
    reason_text: str = ""
    moved_to: str = Field("", description="for moved_away: the SCB code of the municipality")


class EnrolmentOut(Schema):
    id: int
    youth: int
    municipality: str
    registered_on: datetime.date
    source: str
    school: str
    coordinator: int | None
    ended_on: datetime.date | None
    reason: str
    reason_text: str
    is_active: bool


class MoveNotificationStatus(Schema):
    to: str
    status: str = Field(description="sent | not_on_installation")


class EnrolmentEndOut(EnrolmentOut):
    move_notification: MoveNotificationStatus | None = None


class OccupationIn(Schema):
    from_date: datetime.date
    kind: OccupationKind
    extent_percent: int = 100
    note: str = ""


class OccupationOut(Schema):
    id: int
    enrolment: int
    from_date: datetime.date
    kind: str
    scb_category: str
    extent_percent: int
    note: str


class OccupationPage(Schema):
    count: int
    next: str | None
    results: list[OccupationOut]


class SchoolNotificationIn(Schema):
    personnummer: str
    first_name: str
    last_name: str
    school: str
    left_on: datetime.date
    reason: str = Source.DROPOUT_NATIONAL_PROGRAMME


class SchoolReceipt(Schema):
    received: bool
    receipt: str = Field(description="Opaque; the same notification answers the same receipt")


class Errors(Schema):
    errors: dict[str, list[str]]


# --- Helpers ---


def _youth_out(youth: Youth, *, address_visible: bool) -> dict:
    return {
        "id": youth.pk,
        "personnummer": youth.personnummer,
        "birth_date": youth.birth_date,
        "municipality": youth.municipality.code,
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "street": youth.street if address_visible else None,
        "postal_code": youth.postal_code if address_visible else None,
        "city": youth.city if address_visible else None,
        "phone": youth.phone,
        "email": youth.email,
        "protected_identity": youth.protected_identity,
        "is_im_student": youth.is_im_student,
    }


def _enrolment_out(enrolment: Enrolment) -> dict:
    return {
        "id": enrolment.pk,
        "youth": enrolment.youth_id,
        "municipality": enrolment.municipality.code,
        "registered_on": enrolment.registered_on,
        "source": enrolment.source,
        "school": enrolment.school,
        "coordinator": enrolment.coordinator_id,
        "ended_on": enrolment.ended_on,
        "reason": enrolment.end_reason,
        "reason_text": enrolment.end_reason_text,
        "is_active": enrolment.is_active,
    }


def _occupation_out(occupation: Occupation) -> dict:
    return {
        "id": occupation.pk,
        "enrolment": occupation.enrolment_id,
        "from_date": occupation.from_date,
        "kind": occupation.kind,
        "scb_category": str(occupation.scb_category),
        "extent_percent": occupation.extent_percent,
        "note": occupation.note,
    }


def _page(request: HttpRequest, queryset: QuerySet, page: int) -> dict:
    return PageNumberPagination().paginate_queryset(
        queryset, PageNumberPagination.Input(page=page), request
    )


def _log_reads(request: KaaRequest, youths: list[Youth]) -> None:
    """Every API read of a young person's record is logged (the access log), in one insert."""
    services.access_log_record_many(
        user=request.user,
        youths=youths,
        action=AccessLog.Action.API_READ,
        request=request,
    )


def _youth_response(request: KaaRequest, youth: Youth) -> dict:
    visible = selectors.address_visible_ids(user=request.user, youths=[youth])
    return _youth_out(youth, address_visible=youth.pk in visible)


# --- Young people ---


@router.get("/youths/", response={200: YouthPage, 400: Errors}, summary="List the young people")
def youth_list(request: KaaRequest, page: int = Query(1, ge=1, le=settings.API_MAX_PAGE)) -> dict:
    require_role(request, *CASE_ROLES)
    youths = (
        Youth.objects.visible_to(request.user)
        .select_related("municipality")
        .order_by("last_name", "first_name", "pk")
    )
    return _youth_page(request, youths, page)


class LookupIn(Schema):
    personnummer: str


@router.post(
    "/youths/lookup/",
    response={200: YouthPage, 400: Errors},
    summary="Find a young person by personnummer (POSTed: never in a URL)",
)
def youth_lookup(request: KaaRequest, payload: LookupIn) -> dict:
    """docs/api.md: a personnummer travels in the body, never in a URL (it would land in logs)."""
    require_role(request, *CASE_ROLES)
    try:
        digits = pnr.normalise(payload.personnummer)
    except pnr.InvalidPersonnummer as error:
        raise ApiError(400, {"personnummer": [str(error)]}) from None
    youths = (
        Youth.objects.visible_to(request.user)
        .select_related("municipality")
        .filter(personnummer=digits)
        .order_by("pk")
    )
    return _youth_page(request, youths, 1)


def _youth_page(request: KaaRequest, youths: QuerySet[Youth], page: int) -> dict:
    result = _page(request, youths, page)
    rows: list[Youth] = result["results"]
    visible = selectors.address_visible_ids(user=request.user, youths=rows)
    _log_reads(request, rows)
    result["results"] = [_youth_out(y, address_visible=y.pk in visible) for y in rows]
    return result


@router.post("/youths/", response={201: YouthOut, 400: Errors}, summary="Add a young person")
def youth_create(request: KaaRequest, payload: YouthIn) -> Status:
    require_role(request, *CASE_ROLES)
    try:
        youth = services.youth_create(
            user=request.user,
            # Only case roles get here, and they always have a municipality.
            municipality=cast(Municipality, request.user.municipality),
            **payload.dict(),
        )
    except ValidationError as error:
        raise from_django_validation_error(error) from None
    return Status(201, _youth_response(request, youth))


@router.get("/youths/{youth_id}/", response={200: YouthOut, 404: Errors})
def youth_read(request: KaaRequest, youth_id: int) -> dict:
    require_role(request, *CASE_ROLES)
    youth = selectors.youth_get(user=request.user, pk=youth_id)
    _log_reads(request, [youth])
    return _youth_response(request, youth)


@router.patch("/youths/{youth_id}/", response={200: YouthOut, 400: Errors, 404: Errors})
def youth_patch(request: KaaRequest, youth_id: int, payload: YouthPatch) -> dict:
    require_role(request, *CASE_ROLES)
    youth = selectors.youth_get(user=request.user, pk=youth_id)
    fields = payload.dict(exclude_unset=True)
    nulls = [key for key, value in fields.items() if value is None]
    if nulls:
        raise ApiError(400, {key: [_("Fältet kan inte vara null.")] for key in nulls})
    try:
        youth = services.youth_update(user=request.user, youth=youth, **fields)
    except ValidationError as error:
        raise from_django_validation_error(error) from None
    _log_reads(request, [youth])  # the answer is the whole record
    return _youth_response(request, youth)


# --- Enrolments ---


@router.post(
    "/enrolments/",
    response={201: EnrolmentOut, 400: Errors, 404: Errors, 409: Errors},
    summary="Register an enrolment",
)
def enrolment_create(request: KaaRequest, payload: EnrolmentIn) -> Status:
    require_role(request, *CASE_ROLES)
    youth = Youth.objects.visible_to(request.user).filter(pk=payload.youth).first()
    if youth is None:
        raise ApiError(404, {"youth": [_("Ingen ungdom med det id:t.")]})
    coordinator = None
    if payload.coordinator is not None:
        coordinator = (
            selectors.municipality_coordinators(user=request.user)
            .filter(pk=payload.coordinator)
            .first()
        )
        if coordinator is None:
            raise ApiError(
                400, {"coordinator": [_("Välj en KAA-koordinator i den egna kommunen.")]}
            )
    try:
        enrolment = services.enrolment_register(
            user=request.user,
            youth=youth,
            registered_on=payload.registered_on,
            source=payload.source,
            school=payload.school,
            coordinator=coordinator,
        )
    except services.ActiveEnrolmentExists as error:
        raise from_django_validation_error(error, status=409) from None
    except ValidationError as error:
        raise from_django_validation_error(error) from None
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment.pk)
    return Status(201, _enrolment_out(enrolment))


@router.get("/enrolments/{enrolment_id}/", response={200: EnrolmentOut, 404: Errors})
def enrolment_read(request: KaaRequest, enrolment_id: int) -> dict:
    require_role(request, *CASE_ROLES)
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    # An enrolment is part of the young person's record: its read is logged too.
    _log_reads(request, [enrolment.youth])
    return _enrolment_out(enrolment)


@router.post(
    "/enrolments/{enrolment_id}/end/",
    response={200: EnrolmentEndOut, 400: Errors, 404: Errors},
    summary="Deregister (end) an enrolment",
)
def enrolment_end(request: KaaRequest, enrolment_id: int, payload: EnrolmentEndIn) -> dict:
    require_role(request, *CASE_ROLES)
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    try:
        enrolment = services.enrolment_end(
            user=request.user,
            enrolment=enrolment,
            ended_on=payload.ended_on,
            reason=payload.reason,
            reason_text=payload.reason_text,
            moved_to=payload.moved_to,
        )
    except ValidationError as error:
        raise from_django_validation_error(error) from None
    move = services.move_status(enrolment)
    return {
        **_enrolment_out(enrolment),
        "move_notification": {"to": enrolment.moved_to, "status": move} if move else None,
    }


# --- Occupations ---


@router.get(
    "/enrolments/{enrolment_id}/occupations/",
    response={200: OccupationPage, 400: Errors, 404: Errors},
)
def occupation_list(
    request: KaaRequest,
    enrolment_id: int,
    page: int = Query(1, ge=1, le=settings.API_MAX_PAGE),
) -> dict:
    require_role(request, *CASE_ROLES)
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    result = _page(request, enrolment.occupations.order_by("-from_date", "-id"), page)
    _log_reads(request, [enrolment.youth])
    result["results"] = [_occupation_out(row) for row in result["results"]]
    return result


@router.post(
    "/enrolments/{enrolment_id}/occupations/",
    response={201: OccupationOut, 400: Errors, 404: Errors},
)
def occupation_create(request: KaaRequest, enrolment_id: int, payload: OccupationIn) -> Status:
    require_role(request, *CASE_ROLES)
    enrolment = selectors.enrolment_get(user=request.user, pk=enrolment_id)
    try:
        occupation = services.occupation_record(
            user=request.user,
            enrolment=enrolment,
            from_date=payload.from_date,
            kind=payload.kind,
            extent_percent=payload.extent_percent,
            note=payload.note,
        )
    except ValidationError as error:
        raise from_django_validation_error(error) from None
    return Status(201, _occupation_out(occupation))


# --- School notifications (Skollagen 15:15) ---


def school_notification_receipt(notification_pk: int) -> str:
    """An opaque, stable id for a received notification (no count of notices, no register fact)."""
    return (
        "sn-"
        + salted_hmac("registry.school_notification.receipt", str(notification_pk)).hexdigest()[:24]
    )


@router.post(
    "/school-notifications/",
    response={202: SchoolReceipt, 400: Errors, 429: Errors},
    summary="A school reports a student who left upper-secondary school",
    throttle=[TokenRateThrottle("API_SCHOOL_NOTIFICATION_RATE")],
)
def school_notification(request: KaaRequest, payload: SchoolNotificationIn) -> Status:
    """docs/api.md: a bare receipt whether or not the young person was known, eligible or
    enrolled; what the municipality did is its own business. The same notice twice
    answers the same receipt and changes nothing."""
    require_role(request, Role.SCHOOL)
    try:
        notification, _is_new = services.school_notification_receive(
            user=request.user,
            **payload.dict(),
        )
    except ValidationError as error:
        raise from_django_validation_error(error) from None
    return Status(202, {"received": True, "receipt": school_notification_receipt(notification.pk)})
