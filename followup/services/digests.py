"""Weekly digests: each coordinator's due and overdue items, and a summary to the managers.

Sent through Django's e-mail backend (console by default, SMTP from EMAIL_URL).
The mails carry no names or personnummer, only the step, the dates and a link
into the app (absolute, from settings.SITE_URL): an e-mail leaves the system,
the link asks for a login. A DigestSent row per user and week makes a retried
or repeated run send nothing twice.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from casework.models import RoutineState
from registry.models import Enrolment, Role, User

from ..ageing import AGE_OUT_WARNING_DAYS, latest_birth_date_turned_20, twentieth_birthday
from ..labels import step_label
from ..models import DigestSent, Reminder

logger = logging.getLogger(__name__)

# "Due" in a weekly digest: the next step falls due within the coming week.
DIGEST_LOOKAHEAD_DAYS = 7


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def enrolment_url(enrolment_id: int) -> str:
    """The enrolment's contact page, where the step is logged."""
    return absolute_url(reverse("casework:enrolment_contacts", args=[enrolment_id]))


@dataclass
class DigestItem:
    enrolment_id: int
    what: str
    day: datetime.date
    is_overdue: bool = False
    url: str = ""


@dataclass
class CoordinatorDigest:
    overdue: list[DigestItem] = field(default_factory=list)
    due: list[DigestItem] = field(default_factory=list)
    reminders: list[DigestItem] = field(default_factory=list)
    ageing_out: list[DigestItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due or self.reminders or self.ageing_out)


def _open_steps_due_within_week(*, today: datetime.date, assigned: bool) -> QuerySet[RoutineState]:
    """Next routine steps of active enrolments due within the coming week."""
    horizon = today + datetime.timedelta(days=DIGEST_LOOKAHEAD_DAYS)
    return RoutineState.objects.filter(
        enrolment__ended_on__isnull=True,
        enrolment__coordinator__isnull=not assigned,
        next_due__lte=horizon,
    ).exclude(next_step="")


def collect_digests(*, today: datetime.date) -> dict[int, CoordinatorDigest]:
    """What each coordinator has due and overdue, keyed by user id (three queries in all)."""
    digests: defaultdict[int, CoordinatorDigest] = defaultdict(CoordinatorDigest)
    states = (
        _open_steps_due_within_week(today=today, assigned=True)
        .values_list(
            "enrolment_id", "enrolment__coordinator_id", "next_step", "next_due", "overdue_after"
        )
        .order_by("next_due", "enrolment_id")
    )
    for enrolment_id, coordinator_id, step, due, overdue_after in states:
        if due is None:  # never: next_due__lte excludes NULL; narrows the type
            continue
        is_overdue = overdue_after is not None and overdue_after < today
        item = DigestItem(
            enrolment_id, step_label(step), due, is_overdue, enrolment_url(enrolment_id)
        )
        (digests[coordinator_id].overdue if is_overdue else digests[coordinator_id].due).append(
            item
        )

    reminders = (
        Reminder.objects.filter(
            resolved_on__isnull=True,
            measure__plan__enrolment__ended_on__isnull=True,
            measure__plan__enrolment__coordinator__isnull=False,
        )
        .values_list(
            "measure__plan__enrolment_id", "measure__plan__enrolment__coordinator_id", "kind", "due"
        )
        .order_by("due")
    )
    kinds = dict(Reminder.Kind.choices)
    for enrolment_id, coordinator_id, kind, due in reminders:
        digests[coordinator_id].reminders.append(
            DigestItem(enrolment_id, str(kinds[kind]), due, True, enrolment_url(enrolment_id))
        )

    ageing = Enrolment.objects.active().filter(
        coordinator__isnull=False,
        youth__birth_date__gt=latest_birth_date_turned_20(today),
        youth__birth_date__lte=latest_birth_date_turned_20(
            today + datetime.timedelta(days=AGE_OUT_WARNING_DAYS)
        ),
    )
    for enrolment_id, coordinator_id, birth_date in ageing.values_list(
        "id", "coordinator_id", "youth__birth_date"
    ):
        digests[coordinator_id].ageing_out.append(
            DigestItem(
                enrolment_id,
                _("Fyller 20 år"),
                twentieth_birthday(birth_date),
                False,
                enrolment_url(enrolment_id),
            )
        )
    return dict(digests)


def unassigned_counts(*, today: datetime.date) -> dict[int, dict[str, int]]:
    """Per municipality: overdue and due-this-week steps of enrolments without a coordinator."""
    rows = (
        _open_steps_due_within_week(today=today, assigned=False)
        .values("enrolment__municipality_id")
        .annotate(
            overdue=Count("pk", filter=Q(overdue_after__lt=today)),
            total=Count("pk"),
        )
    )
    return {
        row["enrolment__municipality_id"]: {
            "overdue": row["overdue"],
            "due": row["total"] - row["overdue"],
        }
        for row in rows
    }


def digests_send(*, today: datetime.date) -> dict[str, int]:
    """Send this week's digests; a user who already got this week's digest gets nothing."""
    week = week_start(today)
    already = set(DigestSent.objects.filter(week=week).values_list("user_id", flat=True))
    digests = collect_digests(today=today)
    unassigned = unassigned_counts(today=today)
    users = User.objects.filter(
        is_active=True, municipality__isnull=False, role__in=[Role.COORDINATOR, Role.MANAGER]
    ).exclude(email="")
    worklist = absolute_url(reverse("casework:worklist"))
    messages: list[EmailMessage] = []
    sent_to: list[User] = []
    coordinators = [user for user in users if user.role == Role.COORDINATOR]
    managers = [user for user in users if user.role == Role.MANAGER]
    with translation.override(settings.LANGUAGE_CODE):
        for user in coordinators:
            digest = digests.get(user.pk)
            if user.pk in already or digest is None or digest.is_empty:
                continue
            body = render_to_string(
                "followup/email/coordinator_digest.txt",
                {"user": user, "digest": digest, "today": today, "worklist_url": worklist},
            )
            messages.append(
                EmailMessage(_("KAA: veckans att göra och försenade steg"), body, to=[user.email])
            )
            sent_to.append(user)
        for manager in managers:
            if manager.pk in already:
                continue
            rows = [
                {
                    "coordinator": coordinator,
                    "overdue": len(digests[coordinator.pk].overdue),
                    "due": len(digests[coordinator.pk].due),
                    "reminders": len(digests[coordinator.pk].reminders),
                    "ageing_out": len(digests[coordinator.pk].ageing_out),
                }
                for coordinator in User.objects.filter(
                    is_active=True, role=Role.COORDINATOR, municipality=manager.municipality_id
                ).order_by("last_name", "first_name")
                if not digests.get(coordinator.pk, CoordinatorDigest()).is_empty
            ]
            body = render_to_string(
                "followup/email/manager_summary.txt",
                {
                    "user": manager,
                    "rows": rows,
                    "unassigned": unassigned.get(manager.municipality_id or 0),
                    "today": today,
                    "worklist_url": worklist,
                    "dashboard_url": absolute_url(reverse("reports:dashboard")),
                },
            )
            messages.append(EmailMessage(_("KAA: veckosammanställning"), body, to=[manager.email]))
            sent_to.append(manager)
    delivered: list[User] = []
    failed = 0
    if messages:
        # One mail at a time, each recorded as soon as it has gone: when the mail server
        # fails half-way, a rerun sends the rest and nobody gets this week's mail twice.
        with get_connection() as connection:
            for message, user in zip(messages, sent_to, strict=True):
                try:
                    connection.send_messages([message])
                except (smtplib.SMTPException, OSError) as error:
                    logger.warning("digest to user %s not sent: %s", user.pk, error)
                    failed += 1
                    continue
                DigestSent.objects.get_or_create(user=user, week=week)
                delivered.append(user)
    return {
        "coordinator_digests": sum(1 for user in delivered if user.role == Role.COORDINATOR),
        "manager_summaries": sum(1 for user in delivered if user.role == Role.MANAGER),
        "failed": failed,
    }
