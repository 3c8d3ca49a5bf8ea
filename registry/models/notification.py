from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import MunicipalityScopedQuerySet


class SchoolNotification(models.Model):
    """A school's notice that a student left upper-secondary school (Skollagen 15:15).

    Kept so that the same notice sent twice changes nothing the second time.
    """

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="school_notifications"
    )
    personnummer = models.CharField(max_length=12)
    school = models.CharField(_("skola"), max_length=200)
    left_on = models.DateField(_("lämnade skolan"))
    reason = models.CharField(_("orsak"), max_length=40)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    youth = models.ForeignKey(
        "registry.Youth",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="school_notifications",
    )
    enrolment = models.ForeignKey(
        "registry.Enrolment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    youth_created = models.BooleanField(default=False)
    enrolment_created = models.BooleanField(default=False)
    messages = models.JSONField(default=list, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("anmälan från skola")
        verbose_name_plural = _("anmälningar från skolor")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "personnummer", "school", "left_on", "reason"],
                name="school_notification_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.left_on}"
