from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from verify.core.models import TimeStampedModel


class ImportFormat(models.TextChoices):
    VERIFY_CSV = "verify_csv", _("verify CSV (our own columns)")
    ACLED = "acled", _("ACLED-style CSV")
    JSON = "json", _("JSON (a list of objects with verify column names)")
    MAPPED_CSV = "mapped_csv", _("Other CSV (map its columns to ours)")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued for checking")
    VALIDATING = "validating", _("Checking rows")
    VALIDATED = "validated", _("Checked: waiting for your decision")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    CANCELLED = "cancelled", _("Nothing imported")
    FAILED = "failed", _("Failed")


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> "ImportJobQuerySet":
        """Import jobs hold the rows of a file someone uploaded: each researcher sees their own, admins all."""
        if user.is_superuser or user.has_perm("incidents.view_all_restricted"):
            return self
        return self.filter(created_by=user)


class ImportJob(TimeStampedModel):
    """One uploaded file, checked row by row and then imported, or not, as the researcher decides.

    The file is kept in private storage (settings.IMPORT_ROOT, never served by URL) until the job ends.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("created by")
    )
    original_filename = models.CharField(max_length=255, verbose_name=_("original filename"))
    stored_name = models.CharField(max_length=100, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(default=0, verbose_name=_("size bytes"))
    format = models.CharField(max_length=12, choices=ImportFormat.choices, verbose_name=_("format"))
    encoding = models.CharField(max_length=20, blank=True, verbose_name=_("encoding"))
    # For mapped CSV: {verify column: the file's header}.
    mapping = models.JSONField(default=dict, blank=True, verbose_name=_("mapping"))
    status = models.CharField(
        max_length=12,
        choices=ImportStatus.choices,
        default=ImportStatus.QUEUED,
        db_index=True,
        verbose_name=_("status"),
    )
    # New incidents from this file are restricted to these groups (existing ones keep their own setting).
    restricted = models.BooleanField(default=False, verbose_name=_("restricted"))
    allowed_groups = models.ManyToManyField(Group, blank=True, related_name="+", verbose_name=_("allowed groups"))
    good_rows_only = models.BooleanField(
        default=False,
        help_text=_("Import the rows that passed and skip the bad ones (otherwise nothing if any failed)."),
        verbose_name=_("good rows only"),
    )
    progress_bytes = models.PositiveBigIntegerField(default=0, verbose_name=_("progress bytes"))
    rows_total = models.PositiveIntegerField(default=0, verbose_name=_("rows total"))
    rows_bad = models.PositiveIntegerField(default=0, verbose_name=_("rows bad"))
    # Counts from the check (what would happen) and then from the import (what happened).
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("summary"))
    # [{"row": 5, "column": "killed_max", "message": "..."}], warnings likewise.
    errors = models.JSONField(default=list, blank=True, verbose_name=_("errors"))
    # {incident id: version} of the incidents the check found to update: one changed since is not overwritten.
    checked_versions = models.JSONField(default=dict, blank=True, editable=False)
    warnings = models.JSONField(default=list, blank=True, verbose_name=_("warnings"))
    # The researcher's decisions on the names the check found no match for: {"sources": {normal form: source id},
    # "actors": {normal form: actor id}}; a name left out is added as new (verify.imports.names).
    resolutions = models.JSONField(default=dict, blank=True, editable=False)
    failure = models.TextField(blank=True, verbose_name=_("failure"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return gettext("Import %(pk)s of %(file)s") % {"pk": self.pk, "file": self.original_filename}

    @property
    def rows_good(self) -> int:
        return self.rows_total - self.rows_bad

    @property
    def needs_mapping(self) -> bool:
        return self.format == ImportFormat.MAPPED_CSV and self.status == ImportStatus.QUEUED and not self.mapping

    @property
    def is_running(self) -> bool:
        running = {ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING}
        return self.status in running and not self.needs_mapping

    @property
    def progress_percent(self) -> int:
        if self.status in {ImportStatus.VALIDATED, ImportStatus.DONE}:
            return 100
        if not self.size_bytes:
            return 0
        return min(100, int(100 * self.progress_bytes / self.size_bytes))

    def mark(self, **fields: Any) -> None:
        """Set these fields on this instance and in its row, and only these: an update, not a save."""
        for name, value in fields.items():
            setattr(self, name, value)
        ImportJob.objects.filter(pk=self.pk).update(**fields, updated_at=timezone.now())


class SavedMapping(TimeStampedModel):
    """A column mapping for a partner's spreadsheet layout, saved to be used again."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    mapping = models.JSONField(help_text=_("{verify column: the file's header}"), verbose_name=_("mapping"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
