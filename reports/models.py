"""Reports: population figures, targets, the board report and its analysis, SCB exports.

Only aggregate figures and the manager's own text are stored here; a board
report holds no personal data (board documents are public records).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models.scoping import MunicipalityScopedQuerySet


class PopulationFigure(models.Model):
    """The number of 16-19-year-olds living in the municipality, entered by a manager.

    A period's key figures use the latest figure dated on or before the period's end.
    """

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="population_figures"
    )
    as_of = models.DateField(_("avser datum"))
    count = models.PositiveIntegerField(_("antal 16–19 år"))
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of"]
        verbose_name = _("befolkning 16–19 år")
        verbose_name_plural = _("befolkning 16–19 år")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "as_of"], name="population_figure_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.as_of}: {self.count}"


class TargetFigure(models.TextChoices):
    """The key figures a board can set a target for (all shares, in per cent)."""

    REACHED_WITHIN_4_WEEKS = "reached_within_4_weeks_share", _("Kontakt inom 4 veckor (%)")
    IN_ACTIVITY = "in_activity_share", _("Andel i aktivitet (%)")
    CONTACT_COMPLIANCE = "contact_meets_share", _("Kontaktrutinen uppfylls (%)")


class Target(models.Model):
    """A target the board set for a school year (1 August - 31 July)."""

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="report_targets"
    )
    school_year = models.PositiveSmallIntegerField(
        _("läsår som börjar år"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    figure = models.CharField(_("nyckeltal"), max_length=40, choices=TargetFigure.choices)
    value = models.DecimalField(
        _("mål (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school_year", "figure"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "school_year", "figure"], name="target_unique_figure"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.school_year}/{self.school_year + 1} {self.get_figure_display()}: {self.value}"
        )


class BoardAnalysis(models.Model):
    """The manager's written analysis and planned actions for one report period."""

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="board_analyses"
    )
    period_from = models.DateField(_("från"))
    period_to = models.DateField(_("till"))
    analysis = models.TextField(_("analys"), blank=True)
    planned_actions = models.TextField(_("planerade åtgärder"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_to"]
        verbose_name = _("analys")
        verbose_name_plural = _("analyser")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period_from", "period_to"],
                name="board_analysis_unique_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_from}–{self.period_to}"


class BoardReport(models.Model):
    """One generated board report PDF, kept with who made it and when."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        RUNNING = "running", _("Skapas")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="board_reports"
    )
    period_from = models.DateField(_("från"))
    period_to = models.DateField(_("till"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    pdf = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rapport till nämnden")
        verbose_name_plural = _("rapporter till nämnden")

    def __str__(self) -> str:
        return f"{self.period_from}–{self.period_to} ({self.get_status_display()})"

    @property
    def filename(self) -> str:
        return f"rapport-kaa-{self.period_from:%Y%m%d}-{self.period_to:%Y%m%d}.pdf"


class ScbExport(models.Model):
    """One SCB half-year file as exported; the next export is compared with the latest."""

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="scb_exports"
    )
    period_from = models.DateField(_("från"))
    period_to = models.DateField(_("till"))
    content = models.TextField()
    row_count = models.PositiveIntegerField(default=0)
    # Whose records the file holds: each download is written to their access log.
    youth_ids = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SCB-fil")
        verbose_name_plural = _("SCB-filer")

    def __str__(self) -> str:
        return f"{self.period_from}–{self.period_to}"
