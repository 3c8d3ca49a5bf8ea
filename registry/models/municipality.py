from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

scb_code_validator = RegexValidator(
    r"^\d{4}$", _("Kommunkoden ska vara fyra siffror, till exempel 0682.")
)


class Municipality(models.Model):
    """A municipality, identified by its four-digit SCB code (e.g. 0682 Nässjö)."""

    code = models.CharField(
        _("kommunkod"), max_length=4, unique=True, validators=[scb_code_validator]
    )
    name = models.CharField(_("namn"), max_length=100)
    require_two_factor = models.BooleanField(
        _("kräv tvåstegsverifiering"),
        default=False,
        help_text=_(
            "Verksamhetsansvariga och administratörer loggar in med en engångskod från en "
            "autentiseringsapp (TOTP) utöver lösenordet."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
