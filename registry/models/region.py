from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """Municipalities grouped for regional statistics (docs/domain.md, "Regions and moves").

    A region never sees a young person: only figures of its member municipalities.
    """

    name = models.CharField(_("namn"), max_length=100, unique=True)
    municipalities = models.ManyToManyField(
        "registry.Municipality", verbose_name=_("kommuner"), related_name="regions", blank=True
    )
    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self) -> str:
        return self.name
