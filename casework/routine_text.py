"""The contact routine in plain Swedish: step names and deviations explained with the numbers."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import routine

STEP_LABELS = {
    routine.FIRST_CONTACT: gettext_lazy("Första kontakt"),
    routine.SECOND_ATTEMPT: gettext_lazy("Andra kontaktförsöket"),
    routine.HOME_VISIT: gettext_lazy("Hembesök"),
    routine.POST_VISIT_FOLLOWUP: gettext_lazy("Uppföljning efter hembesök"),
    routine.PERIODIC_ATTEMPT: gettext_lazy("Nytt kontaktförsök"),
    routine.OFFER_CONVERSATION: gettext_lazy("Erbjud samtal och kartläggning"),
    routine.REGULAR_FOLLOWUP: gettext_lazy("Regelbunden uppföljning"),
}

DEVIATION_LABELS = {
    routine.FIRST_CONTACT_LATE: gettext_lazy("Första kontakten sent"),
    routine.NO_CONTACT_DOCUMENTED: gettext_lazy("Ingen kontakt dokumenterad"),
    routine.HOME_VISIT_LATE: gettext_lazy("Hembesöket sent"),
    routine.STARTED_WITH_HOME_VISIT: gettext_lazy("Började med hembesök"),
    routine.OCCUPATION_UNKNOWN_AT_END: gettext_lazy("Okänd sysselsättning vid avslut"),
}

STEP_CHOICES = [(code, STEP_LABELS[code]) for code in routine.STEP_CODES]


def step_label(code: str) -> str:
    return str(STEP_LABELS.get(code, code))


def explain_deviations(
    *,
    result: routine.RoutineResult,
    registered_on: datetime.date,
    days: routine.RoutineDays,
    as_of: datetime.date,
    ended_on: datetime.date | None = None,
) -> list[str]:
    """One sentence per deviation of ``result``, with the days it is about (docs/domain.md, "Deviations")."""
    deviations = result.deviations
    first_on = result.first_attempt_on
    visit_on = result.home_visit_on
    numbers = {
        "first_days": days.first_contact_days,
        "visit_days": days.home_visit_days,
        "tolerance": days.tolerance_days,
    }
    sentences = []
    for code in deviations:
        if code == routine.FIRST_CONTACT_LATE and first_on is not None:
            sentences.append(
                _(
                    "Första kontaktförsöket gjordes %(late)s dagar efter inskrivningen; rutinen säger %(first_days)s dagar plus %(tolerance)s dagars tolerans."
                )
                % (numbers | {"late": (first_on - registered_on).days})
            )
        elif code == routine.FIRST_CONTACT_LATE and ended_on is not None and ended_on <= as_of:
            sentences.append(
                _(
                    "Inget kontaktförsök gjordes under inskrivningens %(late)s dagar; rutinen säger %(first_days)s dagar plus %(tolerance)s dagars tolerans."
                )
                % (numbers | {"late": (ended_on - registered_on).days})
            )
        elif code == routine.FIRST_CONTACT_LATE:
            sentences.append(
                _(
                    "Inget kontaktförsök på %(late)s dagar sedan inskrivningen; rutinen säger %(first_days)s dagar plus %(tolerance)s dagars tolerans."
                )
                % (numbers | {"late": (as_of - registered_on).days})
            )
        elif code == routine.NO_CONTACT_DOCUMENTED:
            sentences.append(_("Inget kontaktförsök är dokumenterat."))
        elif code == routine.HOME_VISIT_LATE and visit_on is not None and first_on is not None:
            sentences.append(
                _(
                    "Hembesöket gjordes %(late)s dagar efter första kontaktförsöket; rutinen säger %(visit_days)s dagar plus %(tolerance)s dagars tolerans."
                )
                % (numbers | {"late": (visit_on - first_on).days})
            )
        elif code == routine.STARTED_WITH_HOME_VISIT:
            sentences.append(
                _(
                    "Det första kontaktförsöket var ett hembesök; rutinen börjar med brev, telefon eller sms."
                )
            )
        elif code == routine.OCCUPATION_UNKNOWN_AT_END:
            sentences.append(_("Inskrivningen avslutades utan känd sysselsättning."))
        else:
            sentences.append(str(DEVIATION_LABELS.get(code, code)))
    return sentences
