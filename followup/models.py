"""What the follow-up jobs keep: overdue flags, reminders, retention, job runs.

Flags and reminders are written by set-based services (one INSERT … SELECT and
one UPDATE per run), so a partial unique constraint on the open rows is what
makes a second run a no-op and a repeated, interrupted run leave no duplicates.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models.scoping import MunicipalityScopedQuerySet


class OverdueFlag(models.Model):
    """An overdue routine step of one enrolment (docs/domain.md, "Steps": overdue once due + tolerance passed).

    Opened by the nightly job when the stored RoutineState says the next step is
    overdue, resolved when that step is no longer the overdue next step (done,
    changed, or the enrolment ended).
    """

    municipality_lookup = "enrolment__municipality"

    enrolment = models.ForeignKey(
        "registry.Enrolment", on_delete=models.CASCADE, related_name="overdue_flags"
    )
    step = models.CharField(_("steg"), max_length=30)
    due = models.DateField(_("att göra senast"))
    opened_on = models.DateField(_("flaggad"))
    resolved_on = models.DateField(_("åtgärdad"), null=True, blank=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("försenat steg")
        verbose_name_plural = _("försenade steg")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "step", "due"],
                condition=Q(resolved_on__isnull=True),
                name="overdue_flag_one_open_per_step",
            )
        ]
        indexes = [models.Index(fields=["resolved_on", "enrolment"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.step} {self.due}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class Reminder(models.Model):
    """A measure's follow-up or evaluation date has passed without an entry (docs/domain.md, "Which items are missing", item 7)."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Uppföljning")
        EVALUATION = "evaluation", _("Utvärdering")

    municipality_lookup = "measure__plan__enrolment__municipality"

    measure = models.ForeignKey(
        "casework.Measure", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    due = models.DateField(_("datum"))
    opened_on = models.DateField(_("påmind"))
    resolved_on = models.DateField(_("åtgärdad"), null=True, blank=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind", "due"],
                condition=Q(resolved_on__isnull=True),
                name="reminder_one_open_per_date",
            )
        ]
        indexes = [models.Index(fields=["resolved_on", "measure"])]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.kind} {self.due}"


class RetentionPolicy(models.Model):
    """The municipality's retention plan (gallringsplan): years kept after the last enrolment ended."""

    DEFAULT_YEARS = 3

    municipality = models.OneToOneField(
        "registry.Municipality", on_delete=models.CASCADE, related_name="retention_policy"
    )
    years_after_end = models.PositiveSmallIntegerField(
        _("år efter avregistrering"),
        default=DEFAULT_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "Så många år efter att den sista inskrivningen avslutades gallras uppgifterna."
        ),
    )
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.years_after_end}"


class AnonymisedYouth(models.Model):
    """Marks a young person whose personal data the retention job has removed."""

    municipality_lookup = "youth__municipality"

    youth = models.OneToOneField(
        "registry.Youth", on_delete=models.CASCADE, related_name="anonymised"
    )
    anonymised_on = models.DateField()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gallrad ungdom")
        verbose_name_plural = _("gallrade ungdomar")

    def __str__(self) -> str:
        return f"{self.youth_id} {self.anonymised_on}"


class JobRun(models.Model):
    """One run of a follow-up job and what it changed (shown on the manager's page)."""

    name = models.CharField(max_length=50)
    # A manager's run covers their municipality; the scheduled runs cover all (NULL).
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"


class PendingJob(models.Model):
    """A job that could not be queued (the broker was down); the catch-up task queues it later."""

    name = models.CharField(max_length=50)
    kwargs = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    error = models.TextField(blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.created_at:%Y-%m-%d %H:%M}"


class DigestSent(models.Model):
    """The weekly digest went to this user for this week (Monday); a rerun skips them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digest_once_per_user_and_week")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"
