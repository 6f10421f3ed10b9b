"""The audit log. The roles, sign-in pages and their post_migrate hook live in roles.py and apps.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Codes, not sentences: the list page translates the labels."""

    SIGN_IN = "auth.sign_in", _("Signed in")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "auth.sign_out", _("Signed out")
    IDLE_TIMEOUT = "auth.idle_timeout", _("Signed out after inactivity")
    LOCKED_OUT = "auth.locked_out", _("Address locked out")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    PASSWORD_SET = "auth.password_set", _("Password set")
    MFA_ADDED = "mfa.added", _("Second factor added")
    MFA_REMOVED = "mfa.removed", _("Second factor removed")
    MFA_RESET = "mfa.reset", _("Second factor reset by an admin")
    SESSIONS_ENDED = "session.ended", _("Sessions ended")
    EXPORT = "data.export", _("Exported data")
    DOWNLOAD_ORIGINAL = "evidence.download", _("Downloaded an original")
    VIEW_RESTRICTED = "incident.view_restricted", _("Viewed a restricted incident")
    ACCESS_DENIED = "access.denied", _("Denied a restricted record")
    DENIAL_ALERT = "alert.repeated_denials", _("Repeated denials")
    INCIDENT_RESTRICTION = "incident.restriction_changed", _("Changed an incident's restriction")
    USER_INVITED = "user.invited", _("Invited a user")
    USER_ROLE = "user.role_changed", _("Changed a user's role")
    USER_GROUPS = "user.groups_changed", _("Changed a user's groups")
    USER_DEACTIVATED = "user.deactivated", _("Deactivated a user")
    USER_REACTIVATED = "user.reactivated", _("Reactivated a user")
    USER_SET_PASSWORD_LINK = "user.password_link", _("Issued a set-password link")


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """Append-only: the database refuses UPDATE (see migrations); rows go only when retention prunes them."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The name typed or held at the time: failed sign-ins have no user, and usernames can change.
    actor_name = models.CharField(max_length=150, blank=True, db_index=True, verbose_name=_("actor name"))
    action = models.CharField(max_length=40, choices=AuditAction.choices, db_index=True, verbose_name=_("action"))
    target = models.CharField(max_length=200, blank=True, verbose_name=_("target"))
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("ip"))
    user_agent = models.CharField(max_length=300, blank=True, verbose_name=_("user agent"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["actor", "action", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only: only retention (audit_prune) removes them.")


class Preferences(models.Model):
    """What one person has chosen for themselves: for now, the language of the interface."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language or '-'}"
