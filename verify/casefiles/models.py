"""A request for a case file: a signed ZIP of incidents and their evidence for legal use (docs/casefiles.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for an admin's approval")
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Building")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


# Error codes, stored instead of sentences; `CaseFileRequest.error_text` renders them in the reader's language.
class ErrorCode(models.TextChoices):
    FIXITY_FAILED = "fixity_failed", _("fixity failed")
    MISSING = "missing", _("missing from storage")
    CHANGED_WHILE_EXPORTING = "changed", _("changed while exporting")
    NO_SIGNING_KEY = "no_signing_key", _("no signing key")
    NO_LONGER_VISIBLE = "not_visible", _("no longer visible")
    NOTHING = "nothing", _("nothing to export")
    INTERRUPTED = "interrupted", _("interrupted")
    UNEXPECTED = "unexpected", _("unexpected error")


class CaseFileRequestQuerySet(models.QuerySet):
    def mine(self, user) -> "CaseFileRequestQuerySet":
        return self.filter(requested_by=user) if user.is_authenticated else self.none()

    def awaiting_approval(self) -> "CaseFileRequestQuerySet":
        return self.filter(state=State.AWAITING_APPROVAL, expires_at__gt=timezone.now())

    def expired_now(self) -> "CaseFileRequestQuerySet":
        """Requests past their time: unapproved ones, and built files past their keeping time."""
        return self.filter(
            Q(state__in=[State.AWAITING_APPROVAL, State.READY, State.QUEUED, State.FAILED, State.REJECTED])
            & Q(expires_at__lte=timezone.now())
        )


class CaseFileRequest(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # What was asked for: the incidents (resolved when asked, among those the requester could see), and the
    # incident list's query string when it came from a filter.
    incidents = models.ManyToManyField("incidents.Incident", related_name="+", verbose_name=_("incidents"))
    filter_query = models.TextField(blank=True, verbose_name=_("filter query"))
    include_failed_integrity = models.BooleanField(
        _("include files that fail their integrity check"),
        default=False,
        help_text=_("They are exported marked “integrity failed” instead of failing the request."),
    )
    language = models.CharField(
        max_length=10, blank=True, help_text=_("The language of the report."), verbose_name=_("language")
    )
    note = models.TextField(_("purpose"), blank=True)

    state = models.CharField(
        max_length=20, choices=State.choices, default=State.QUEUED, db_index=True, verbose_name=_("state")
    )
    progress_done = models.PositiveBigIntegerField(default=0, verbose_name=_("progress done"))
    progress_total = models.PositiveBigIntegerField(default=0, verbose_name=_("progress total"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    error_code = models.CharField(max_length=20, choices=ErrorCode.choices, blank=True, verbose_name=_("error code"))
    error_params = models.JSONField(default=dict, blank=True, verbose_name=_("error params"))

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decision_note = models.TextField(blank=True, verbose_name=_("decision note"))
    expires_at = models.DateTimeField(db_index=True, verbose_name=_("expires at"))

    file_name = models.CharField(
        max_length=200, blank=True, help_text=_("Relative to CASEFILE_ROOT."), verbose_name=_("file name")
    )
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("size bytes"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("sha256"))
    evidence_count = models.PositiveIntegerField(default=0, verbose_name=_("evidence count"))

    objects = CaseFileRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("request_casefile", "Can request and download case files"),
            ("approve_casefilerequest", "Can approve case file requests"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(file_name="") & ~Q(sha256="")), name="casefile_ready_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"Case file {self.pk} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("casefiles:detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"CF-{self.pk:06d}"

    @property
    def download_name(self) -> str:
        return f"casefile-{self.label}.zip"

    @property
    def is_downloadable(self) -> bool:
        return self.state == State.READY and bool(self.file_name) and self.expires_at > timezone.now()

    @property
    def is_finished(self) -> bool:
        return self.state in (State.READY, State.FAILED, State.REJECTED, State.EXPIRED)

    @property
    def can_retry(self) -> bool:
        return self.state == State.FAILED

    @property
    def percent(self) -> int:
        if self.state == State.READY:
            return 100
        if not self.progress_total:
            return 0
        return min(99, int(100 * self.progress_done / self.progress_total))

    @property
    def error_text(self) -> str:
        """The failure in the reader's language, naming the file or incident concerned."""
        p = self.error_params or {}
        code = self.error_code
        if code == ErrorCode.FIXITY_FAILED:
            return (
                gettext(
                    "The evidence file “%(title)s” (SHA-256 %(sha256)s) of %(incident)s failed its last fixity check. "
                    "Request the case file again with “include files that fail their integrity check” to export it "
                    "marked “integrity failed”."
                )
                % p
            )
        if code == ErrorCode.MISSING:
            return (
                gettext(
                    "The evidence file “%(title)s” (SHA-256 %(sha256)s) of %(incident)s is missing from storage. "
                    "Request the case file again with “include files that fail their integrity check” to list it "
                    "as missing."
                )
                % p
            )
        if code == ErrorCode.CHANGED_WHILE_EXPORTING:
            return (
                gettext(
                    "The evidence file “%(title)s” of %(incident)s no longer matches its recorded SHA-256 %(sha256)s "
                    "(read %(observed)s). It has been flagged as changed."
                )
                % p
            )
        if code == ErrorCode.NO_SIGNING_KEY:
            return gettext("No signing key is configured (CASEFILE_SIGNING_KEY), so the case file cannot be signed.")
        if code == ErrorCode.NO_LONGER_VISIBLE:
            return gettext("You can no longer see %(incident)s.") % p
        if code == ErrorCode.NOTHING:
            return gettext("None of the requested incidents can be exported.")
        if code == ErrorCode.INTERRUPTED:
            return gettext("The build was interrupted before it finished. Nothing was kept; you can try again.")
        if code == ErrorCode.UNEXPECTED:
            return gettext("The build failed unexpectedly. Nothing was kept; you can try again.")
        return ""
