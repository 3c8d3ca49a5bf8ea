"""Swedish labels for the routine's step codes (docs/domain.md, "Steps"), as the follow-up pages and mails show them."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


JOB_LABELS = {
    "overdue_flags": _("Försenade steg"),
    "reminders": _("Påminnelser om insatser"),
    "age_out": _("Avregistrering vid 20 år"),
    "digests": _("Veckosammanfattningar"),
    "retention": _("Gallring"),
}


def job_label(name: str) -> str:
    return str(JOB_LABELS.get(name, name))


def job_result(result: dict) -> str:
    """What a run changed, in words (the JobRun's result as the task returned it)."""
    if "opened" in result:
        return _("%(opened)s nya, %(resolved)s åtgärdade") % {
            "opened": result["opened"],
            "resolved": result.get("resolved", 0),
        }
    if "ended" in result:
        text = _("%(ended)s avregistrerade") % {"ended": result["ended"]}
        if result.get("refused"):
            text += ", " + _(
                "%(refused)s kunde inte avregistreras automatiskt och behöver avslutas för hand"
            ) % {"refused": len(result["refused"])}
        return text
    if "coordinator_digests" in result:
        text = _("%(coordinators)s till koordinatorer, %(managers)s till verksamhetsansvariga") % {
            "coordinators": result["coordinator_digests"],
            "managers": result.get("manager_summaries", 0),
        }
        if result.get("failed"):
            text += ", " + _("%(failed)s kunde inte skickas") % {"failed": result["failed"]}
        return text
    if "youths" in result and result.get("dry_run"):
        return ngettext(
            "%(youths)s ungdom skulle gallras (provkörning)",
            "%(youths)s ungdomar skulle gallras (provkörning)",
            result["youths"],
        ) % {"youths": result["youths"]}
    if "youths" in result:
        return ngettext(
            "%(youths)s ungdom gallrad", "%(youths)s ungdomar gallrade", result["youths"]
        ) % {"youths": result["youths"]}
    return ""
