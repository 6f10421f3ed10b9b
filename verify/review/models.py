from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verify.core.models import TimeStampedModel
from verify.incidents.models import Grade


class ReviewDecision(TimeStampedModel):
    """A reviewer's verdict. The note is always required; overriding the suggested grade needs a rationale."""

    class Verdict(models.TextChoices):
        VERIFY = "verify", gettext_lazy("Verify")
        REQUEST_CHANGES = "request_changes", gettext_lazy("Request changes")

    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.CASCADE,
        related_name="review_decisions",
        verbose_name=gettext_lazy("incident"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("reviewer")
    )
    verdict = models.CharField(max_length=16, choices=Verdict.choices, verbose_name=gettext_lazy("verdict"))
    grade = models.CharField(max_length=12, choices=Grade.choices, blank=True, verbose_name=gettext_lazy("grade"))
    suggested_grade = models.CharField(
        max_length=12, choices=Grade.choices, blank=True, verbose_name=gettext_lazy("suggested grade")
    )
    override_rationale = models.TextField(blank=True, verbose_name=gettext_lazy("override rationale"))
    note = models.TextField(verbose_name=gettext_lazy("note"))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="review_note_required"),
            models.CheckConstraint(
                condition=Q(verdict="request_changes") | ~Q(grade=""), name="review_verify_sets_grade"
            ),
        ]

    def __str__(self) -> str:
        return _("%(verdict)s by %(reviewer)s") % {"verdict": self.get_verdict_display(), "reviewer": self.reviewer}


class Comment(TimeStampedModel):
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="comments", verbose_name=gettext_lazy("incident")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("author")
    )
    body = models.TextField(verbose_name=gettext_lazy("body"))

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]

    def __str__(self) -> str:
        return _("Comment by %(author)s on %(incident)s") % {"author": self.author, "incident": self.incident_id}


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        """The user's notifications about incidents they can still see (group membership may have changed)."""
        from verify.incidents.models import Incident

        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user, incident__in=Incident.objects.visible_to(user))

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user about one incident."""

    class Kind(models.TextChoices):
        MENTION = "mention", gettext_lazy("Mentioned you")
        VERDICT = "verdict", gettext_lazy("Verdict on your incident")
        ASSIGNED = "assigned", gettext_lazy("Assigned to you")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=gettext_lazy("recipient"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("actor"),
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="+", verbose_name=gettext_lazy("incident")
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=gettext_lazy("comment")
    )
    # The start of what a person wrote (the comment, the verdict's note); the rest is words made from kind and params.
    message = models.CharField(max_length=300, blank=True, verbose_name=gettext_lazy("message"))
    params = models.JSONField(default=dict, blank=True, verbose_name=gettext_lazy("params"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("read at"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return _("%(kind)s for %(recipient)s") % {"kind": self.get_kind_display(), "recipient": self.recipient}

    @property
    def text(self) -> str:
        """What happened, in the reader's language."""
        actor = self.actor.get_username() if self.actor_id else _("someone")
        values = {"actor": actor, "reference": self.incident.reference}
        if self.kind == self.Kind.MENTION:
            return _("%(actor)s mentioned you on %(reference)s") % values
        if self.kind == self.Kind.ASSIGNED:
            return _("%(actor)s assigned %(reference)s to you for review") % values
        if self.params.get("verdict") == ReviewDecision.Verdict.VERIFY and self.params.get("grade"):
            values["grade"] = Grade(self.params["grade"]).label
            return _("%(actor)s verified %(reference)s as %(grade)s") % values
        return _("%(actor)s requested changes to %(reference)s") % values
