"""Personal API tokens: only a SHA-256 of the secret is stored, with a short visible prefix to find it by."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        """Neither revoked nor expired, and the owner still active."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token as shown to its owner ("vfy_ab12cd34"), unique: the token is found by it,
    # then its hash compared in constant time.
    prefix = models.CharField(max_length=16, unique=True, verbose_name=_("prefix"))
    secret_hash = models.CharField(max_length=64, verbose_name=_("secret hash"))
    scope = models.CharField(_("scope"), max_length=12, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE
