"""``GET /api/v1/reports/regional/`` (docs/api.md, "Paths"; docs/domain.md, "Regions and moves"), role regional_analyst."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Query, Router

from kaa.api.auth import require_role
from kaa.api.errors import forbidden
from registry.http import KaaRequest
from registry.models import Role

from .api import PeriodQuery, period_from_query
from .regional import as_json
from .selectors.regional import region_of, regional_figures

router = Router(tags=["reports"])


@router.get("/regional/", summary="Each member municipality's figures and the region's total")
def regional_endpoint(request: KaaRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Every count 1–4 is the string "<5" (the numbers end up in public documents)."""
    require_role(request, Role.REGIONAL_ANALYST)
    region = region_of(request.user)
    if region is None:
        raise forbidden()
    period = period_from_query(query.start, query.end)
    return as_json(regional_figures(region=region, period=period, today=timezone.localdate()))
