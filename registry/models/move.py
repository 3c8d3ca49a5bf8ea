"""Move notifications: the only record that crosses municipalities (docs/domain.md, "Regions and moves").

It holds the personnummer, the name, the address unless the identity is
protected, the date of the move and the sending municipality, and nothing
else: the casework documentation stays where it was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scoping import MunicipalityScopedQuerySet

if TYPE_CHECKING:
    from .user import User


class MoveStatus(models.TextChoices):
    PENDING = "pending", _("Att registrera")
    REGISTERED = "registered", _("Registrerad")
    DISMISSED = "dismissed", _("Avfärdad")


class MoveNotificationQuerySet(MunicipalityScopedQuerySet["MoveNotification"]):
    def visible_to(self, user: User) -> MoveNotificationQuerySet:
        """Incoming moves of the user's municipality: a protected identity's to managers only."""
        scoped = self.for_user(user)
        if user.role == "manager":
            return scoped
        if user.role == "coordinator":
            return scoped.filter(protected_identity=False)
        return scoped.none()

    def pending(self) -> MoveNotificationQuerySet:
        return self.filter(status=MoveStatus.PENDING)


class MoveNotification(models.Model):
    """A young person moved here from another municipality on the installation."""

    # Scoped to the receiving municipality: the sender sees its own ended enrolment.
    municipality_lookup = "to_municipality"

    to_municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name=_("till kommun"),
        on_delete=models.PROTECT,
        related_name="incoming_moves",
    )
    from_municipality = models.ForeignKey(
        "registry.Municipality",
        verbose_name=_("från kommun"),
        on_delete=models.PROTECT,
        related_name="outgoing_moves",
    )
    # Sent once per ended enrolment: ending, reopening and ending again never sends twice.
    ended_enrolment = models.OneToOneField(
        "registry.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="move_notification",
    )
    personnummer = models.CharField(_("personnummer"), max_length=12)
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    street = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    protected_identity = models.BooleanField(_("skyddade personuppgifter"), default=False)
    moved_on = models.DateField(_("flyttade"))
    status = models.CharField(
        _("status"), max_length=20, choices=MoveStatus.choices, default=MoveStatus.PENDING
    )
    dismiss_reason = models.TextField(_("skäl"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # The receiving side's enrolment, once registered.
    enrolment = models.ForeignKey(
        "registry.Enrolment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = MoveNotificationQuerySet.as_manager()

    class Meta:
        ordering = ["moved_on", "pk"]
        verbose_name = _("flyttanmälan")
        verbose_name_plural = _("flyttanmälningar")
        constraints = [
            # A protected identity's address never crosses.
            models.CheckConstraint(
                condition=Q(protected_identity=False) | Q(street="", postal_code="", city=""),
                name="move_protected_has_no_address",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismiss_reason=""),
                name="move_dismissal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["to_municipality", "status"])]

    def __str__(self) -> str:
        return f"{self.from_municipality.code} → {self.to_municipality.code} {self.moved_on}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_personnummer(self) -> str:
        return f"{self.personnummer[:8]}-XXXX"

    @property
    def formatted_personnummer(self) -> str:
        return f"{self.personnummer[:8]}-{self.personnummer[8:]}"

    @property
    def is_pending(self) -> bool:
        return self.status == MoveStatus.PENDING


class MoveNotificationRead(models.Model):
    """Append-only: the receiving side's reads of a move notification (the access log of a
    young person not yet in the register)."""

    municipality_lookup = "notification__to_municipality"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notification = models.ForeignKey(
        MoveNotification, on_delete=models.CASCADE, related_name="reads"
    )
    action = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("läsning av flyttanmälan")
        verbose_name_plural = _("läsningar av flyttanmälningar")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)
