"""docs/api.md, "Worklist": ``GET /api/v1/worklist/?as_of=…&overdue=true``."""

import datetime

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kaa.api.auth import CASE_ROLES, require_role
from kaa.api.pagination import PageNumberPagination
from registry.http import KaaRequest

from ..selectors.worklist import worklist_items, worklist_rows_on

router = Router(tags=["worklist"])


class WorklistQuery(Schema):
    as_of: datetime.date | None = None
    overdue: bool = False


class WorklistItemOut(Schema):
    enrolment: int = Field(..., alias="enrolment_id")
    youth: int = Field(..., alias="youth_id")
    step: str = Field(..., alias="next_step")
    due: datetime.date = Field(..., alias="next_due")
    overdue: bool


@router.get(
    "/",
    response=list[WorklistItemOut],
    summary="Due and overdue steps of the contact routine, oldest due first",
)
@paginate(PageNumberPagination)
def worklist(request: KaaRequest, query: Query[WorklistQuery]):
    require_role(request, *CASE_ROLES)
    today = timezone.localdate()
    as_of = query.as_of or today
    if as_of < today:
        return worklist_rows_on(user=request.user, as_of=as_of, overdue_only=query.overdue)
    return worklist_items(
        user=request.user,
        as_of=as_of,
        overdue_only=query.overdue,
    ).annotate(
        youth_id=F("enrolment__youth_id"),
        overdue=ExpressionWrapper(Q(overdue_after__lt=as_of), output_field=BooleanField()),
    )
