from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("KAA-koordinator")
    MANAGER = "manager", _("Verksamhetsansvarig")
    BOARD_SECRETARY = "board_secretary", _("Nämndsekreterare")
    ADMIN = "admin", _("Administratör")
    SCHOOL = "school", _("Skola (integration)")
    REGIONAL_ANALYST = "regional_analyst", _("Regional analytiker")


class User(AbstractUser):
    role = models.CharField(
        _("roll"), max_length=20, choices=Role.choices, default=Role.COORDINATOR
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # Only for the regional analyst: the region whose figures they read (never a person).
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_board_secretary(self) -> bool:
        return self.role == Role.BOARD_SECRETARY

    @property
    def can_work_cases(self) -> bool:
        """Coordinators and managers work with young people's records."""
        return self.role in (Role.COORDINATOR, Role.MANAGER)

    @property
    def is_regional_analyst(self) -> bool:
        return self.role == Role.REGIONAL_ANALYST

    @property
    def can_see_reports(self) -> bool:
        return self.role in (Role.MANAGER, Role.BOARD_SECRETARY)
