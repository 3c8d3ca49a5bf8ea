"""Age-out: an active enrolment ends on the 20th birthday with reason turned_20 (Skollagen 29:9).

The candidates are found in one query (birth date on or before today minus 20
years). Each is then ended one by one through the same write path as a manual
end (``registry.services.enrolment_end``), acting as the system user, so the history records the change and the
RoutineState is refreshed by the enrolment's signal. That is a deliberate
choice: a day brings a handful of 20th birthdays per municipality (about 35 a
day nationally at 50,000 active enrolments), so a row-by-row write costs
nothing and keeps validation and history in one place. The end date is the
birthday itself, also when the job runs late.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from registry.models import EndReason, Enrolment, EnrolmentQuerySet, Municipality, User
from registry.services import enrolment_end
from registry.system import system_user

from ..ageing import latest_birth_date_turned_20, twentieth_birthday

logger = logging.getLogger(__name__)


def age_out_candidates(
    *, today: datetime.date, municipality: Municipality | None = None
) -> EnrolmentQuerySet:
    enrolments = Enrolment.objects.active().filter(
        youth__birth_date__lte=latest_birth_date_turned_20(today)
    )
    if municipality is not None:
        enrolments = enrolments.for_municipality(municipality)
    return enrolments


@transaction.atomic
def enrolments_age_out(
    *, today: datetime.date, municipality: Municipality | None = None, user: User | None = None
) -> dict[str, Any]:
    user = user or system_user()
    ended = 0
    refused: list[int] = []
    candidates = age_out_candidates(today=today, municipality=municipality)
    for enrolment in candidates.select_related("youth"):
        try:
            with transaction.atomic():
                enrolment_end(
                    user=user,
                    enrolment=enrolment,
                    ended_on=twentieth_birthday(enrolment.youth.birth_date),
                    reason=EndReason.TURNED_20,
                    today=today,
                )
        except ValidationError as error:
            # A record the rules refuse (e.g. registered after the 20th birthday) must not
            # stop everyone else's age-out; it is reported for a person to correct.
            logger.warning("age-out refused for enrolment %s: %s", enrolment.pk, error.messages)
            refused.append(enrolment.pk)
            continue
        ended += 1
    return {"ended": ended, "refused": refused}
