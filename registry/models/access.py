import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import MunicipalityScopedQuerySet


class ApiToken(models.Model):
    """A bearer token for the integration API. Only its SHA-256 hash is stored."""

    DEFAULT_DAYS = 365

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(
        max_length=8, help_text=_("De första tecknen, för att känna igen nyckeln.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("gäller till"), null=True, help_text=_("Efter detta svarar API:t 401.")
    )
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: "models.Model", *, days: int = DEFAULT_DAYS) -> tuple["ApiToken", str]:
        """A new token valid for ``days`` days (docs/api.md: tokens expire, default 365)."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            key_hash=cls.hash_key(key),
            prefix=key[:8],
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires_at is None or self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class AccessLogQuerySet(MunicipalityScopedQuerySet["AccessLog"]):
    pass


class AccessLog(models.Model):
    """Append-only: one row per read of a young person's record (page or API)."""

    class Action(models.TextChoices):
        VIEW_PAGE = "view_page", _("Öppnade ungdomens sida")
        API_READ = "api_read", _("Läste via API")
        PRINT = "print", _("Skrev ut")
        EXPORT = "export", _("Exporterade")

    municipality_lookup = "youth__municipality"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    youth = models.ForeignKey("registry.Youth", on_delete=models.CASCADE, related_name="access_log")
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("åtkomstlogg")
        verbose_name_plural = _("åtkomstlogg")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only.")
