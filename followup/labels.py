"""Swedish labels for the routine's step codes (DOMAIN.md), as the follow-up pages and mails show them."""

from django.utils.translation import gettext_lazy as _

STEP_LABELS = {
    "first_contact": _("Första kontakt"),
    "second_attempt": _("Andra kontaktförsöket"),
    "home_visit": _("Hembesök"),
    "post_visit_followup": _("Uppföljning efter hembesök"),
    "periodic_attempt": _("Nytt kontaktförsök"),
    "offer_conversation": _("Erbjud samtal och kartläggning"),
    "regular_followup": _("Regelbunden uppföljning"),
}


def step_label(code: str) -> str:
    return str(STEP_LABELS.get(code, code))
