from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import MunicipalityScopedQuerySet


class ImportBatch(models.Model):
    """An uploaded register file: parsed rows wait here for preview, then confirm or cancel."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Granskas")
        READY = "ready", _("Klar att bekräfta")
        COMMITTING = "committing", _("Skrivs in")
        DONE = "done", _("Inläst")
        CANCELLED = "cancelled", _("Avbruten")
        FAILED = "failed", _("Misslyckades")

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="import_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(_("fil"), max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALIDATING)
    total_rows = models.PositiveIntegerField(default=0)
    validated_rows = models.PositiveIntegerField(default=0)
    created_youths = models.PositiveIntegerField(default=0)
    created_enrolments = models.PositiveIntegerField(default=0)
    error_message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inläsning")
        verbose_name_plural = _("inläsningar")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100
        return round(100 * self.validated_rows / self.total_rows)


class ImportRow(models.Model):
    """One row of an uploaded file, with its problems and what confirming it will do."""

    class Action(models.TextChoices):
        NONE = "", _("Ingenting (fel)")
        CREATE = "create", _("Ny ungdom och inskrivning")
        ENROL_EXISTING = "enrol_existing", _("Inskrivning av befintlig ungdom")

    municipality_lookup = "batch__municipality"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    personnummer = models.CharField(max_length=12, blank=True, db_index=True)
    is_validated = models.BooleanField(default=False)
    problems = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, blank=True)
    youth = models.ForeignKey(
        "registry.Youth", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "line"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="import_row_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"
