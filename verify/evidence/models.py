from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Lookup, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from verify.core.models import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS, TimeStampedModel
from verify.evidence.inspection import RASTER_TYPES, is_active
from verify.lib import phash


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    DOCUMENT = "document", _("Document or report")
    SATELLITE = "satellite", _("Satellite image")
    TESTIMONY = "testimony", _("Testimony transcript")
    WEB_CAPTURE = "web_capture", _("Web capture")


class Sensitivity(models.TextChoices):
    NONE = "none", _("Not sensitive")
    GRAPHIC = "graphic", _("Graphic")
    IDENTIFIES_PERSON = "identifies_person", _("Identifies a person")
    GRAPHIC_AND_IDENTIFIES = "graphic_identifies", _("Graphic and identifies a person")


class ProcessingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FixityStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("Not yet checked")
    OK = "ok", _("Intact")
    CHANGED = "changed", _("Changed on disk")
    MISSING = "missing", _("Missing")


def band_fields(perceptual_hash: str) -> dict[str, int | None]:
    """The band columns for a hash; None for an empty or non-64-bit one."""
    try:
        values: tuple[int | None, ...] = phash.bands(perceptual_hash)
    except ValueError:
        values = (None,) * phash.BANDS
    return {f"phash_band{i}": v for i, v in enumerate(values)}


class AnyOf(Lookup):
    """`column IN (list)`, as `column = ANY(%s)` with the whole list as one array parameter on PostgreSQL.

    A band lookup has a few hundred values: as hundreds of placeholders they cost more to compile, bind and plan
    than the index lookups themselves (profiled with EXPLAIN (ANALYZE, BUFFERS); see bench/README.md).
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        return [int(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*lhs_params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::integer[])", [*lhs_params, list(self.rhs)]


def band_candidates(perceptual_hash: str, threshold: int, prefix: str = "") -> Q:
    """Rows with a band within the band radius of the hash's (verify/lib/phash.py): a superset of the hashes within
    `threshold` bits, read through the three band indexes (a BitmapOr on PostgreSQL), never a scan."""
    try:
        query_bands = phash.bands(perceptual_hash)
    except ValueError:
        return Q(pk__in=[])
    radius = phash.band_radius(threshold)
    condition = Q()
    for i, value in enumerate(query_bands):
        condition |= Q(AnyOf(F(f"{prefix}phash_band{i}"), phash.neighbours(value, radius, phash.WIDTHS[i])))
    return condition


def abandoned_before():
    """A run started before this is over: the worker's hard time limit has killed it, or the worker died."""
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EvidenceQuerySet":
        """Evidence is visible through a visible incident, or, unlinked, to whoever may view evidence.

        An item linked to any restricted incident the user cannot see stays hidden, even if it is also
        linked to a public one: restriction wins.
        """
        from verify.incidents.models import Incident

        if not user.is_authenticated or not user.has_perm("evidence.view_evidenceitem"):
            return self.none()
        hidden = Incident.objects.exclude(pk__in=Incident.objects.visible_to(user).values("pk")).filter(restricted=True)
        return self.exclude(incident_links__incident__in=hidden)

    def fixity_due(self) -> "EvidenceQuerySet":
        return self.order_by(models.F("fixity_checked_at").asc(nulls_first=True), "pk")

    def fixity_alerts(self) -> "EvidenceQuerySet":
        return self.filter(fixity_status__in=[FixityStatus.CHANGED, FixityStatus.MISSING])

    def processing_stuck(self, *, queued_before, started_before) -> "EvidenceQuerySet":
        """Items never picked up (the broker was down) or abandoned mid-processing (a worker died)."""
        waiting = Q(processing_status=ProcessingStatus.PENDING) & (
            Q(processing_queued_at__isnull=True) | Q(processing_queued_at__lt=queued_before)
        )
        abandoned = Q(processing_status=ProcessingStatus.PROCESSING, processing_queued_at__lt=started_before)
        return self.filter(waiting | abandoned).order_by("pk")

    def with_perceptual_hash(self) -> "EvidenceQuerySet":
        return self.exclude(perceptual_hash="")

    def near_hash(self, perceptual_hash: str, threshold: int) -> "EvidenceQuerySet":
        """Candidates within `threshold` bits of the hash, found through the band indexes (a superset: the caller
        computes the exact distance)."""
        return self.filter(band_candidates(perceptual_hash, threshold)).order_by()


class EvidenceItem(TimeStampedModel):
    """A preserved file, kept by its content hash. Never hard-deleted."""

    sha256 = models.CharField(max_length=64, editable=False)
    size_bytes = models.PositiveBigIntegerField(editable=False)
    mime_type = models.CharField(max_length=120, editable=False)
    original_filename = models.CharField(max_length=255, verbose_name=_("original filename"))
    extension_mismatch = models.BooleanField(default=False, editable=False)
    storage_name = models.CharField(max_length=200, editable=False)
    # The first item stored for these bytes. Someone who cannot see it gets an item of their own for the same
    # stored file (canonical=False), so that deduplication never reveals or links a hidden item.
    canonical = models.BooleanField(default=True, editable=False)

    title = models.CharField(max_length=200, verbose_name=_("title"))
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices, verbose_name=_("kind"))
    source_url = models.URLField(max_length=1000, blank=True, verbose_name=_("source url"))
    acquisition_notes = models.TextField(blank=True, verbose_name=_("acquisition notes"))
    sensitivity = models.CharField(
        max_length=20, choices=Sensitivity.choices, default=Sensitivity.NONE, verbose_name=_("sensitivity")
    )

    processing_status = models.CharField(
        max_length=12,
        choices=ProcessingStatus.choices,
        default=ProcessingStatus.PENDING,
        db_index=True,
        verbose_name=_("processing status"),
    )
    processing_error = models.TextField(blank=True, verbose_name=_("processing error"))
    captured_at = models.DateTimeField(null=True, blank=True, verbose_name=_("captured at"))
    gps_latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=LATITUDE_VALIDATORS,
        null=True,
        blank=True,
        verbose_name=_("gps latitude"),
    )
    gps_longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=LONGITUDE_VALIDATORS,
        null=True,
        blank=True,
        verbose_name=_("gps longitude"),
    )
    device = models.CharField(max_length=200, blank=True, verbose_name=_("device"))
    perceptual_hash = models.CharField(max_length=32, blank=True, db_index=True, verbose_name=_("perceptual hash"))
    # The hash's three bands, indexed, for near-duplicate search (verify/lib/phash.py).
    phash_band0 = models.PositiveIntegerField(null=True, blank=True, db_index=True, editable=False)
    phash_band1 = models.PositiveIntegerField(null=True, blank=True, db_index=True, editable=False)
    phash_band2 = models.PositiveIntegerField(null=True, blank=True, db_index=True, editable=False)
    thumbnail_name = models.CharField(max_length=200, blank=True, verbose_name=_("thumbnail name"))
    # Videos and sounds: what ffprobe read (codecs, size, duration), see verify/evidence/media.py.
    duration_seconds = models.FloatField(null=True, blank=True, editable=False)
    media_info = models.JSONField(default=dict, blank=True, editable=False)
    # Text read by OCR (images, scanned PDFs) or from a PDF's text layer; ocr_info says how (verify/evidence/ocr.py).
    ocr_text = models.TextField(blank=True, editable=False)
    ocr_info = models.JSONField(default=dict, blank=True, editable=False)
    processing_queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    fixity_status = models.CharField(
        max_length=12,
        choices=FixityStatus.choices,
        default=FixityStatus.UNCHECKED,
        db_index=True,
        verbose_name=_("fixity status"),
    )
    fixity_checked_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name=_("fixity checked at"))

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    # A redacted working copy names its original and how it was made (the original itself never changes).
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives", editable=False
    )
    derivation = models.JSONField(default=dict, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_sensitive_original", _("Can see sensitive originals (not only their redacted copies)"))]
        constraints = [
            # One canonical row per hash. Its row lock serialises every later store of the same bytes (see
            # services.evidence_store_file), so that concurrent uploads never make two copies for one person.
            models.UniqueConstraint(
                fields=["sha256"], condition=Q(canonical=True), name="evidence_one_canonical_per_sha256"
            ),
            models.CheckConstraint(condition=Q(size_bytes__gt=0), name="evidence_not_empty"),
            models.CheckConstraint(
                condition=Q(gps_latitude__isnull=True) | Q(gps_latitude__gte=-90, gps_latitude__lte=90),
                name="evidence_gps_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(gps_longitude__isnull=True) | Q(gps_longitude__gte=-180, gps_longitude__lte=180),
                name="evidence_gps_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.sha256[:12]})"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Evidence is never deleted. Unlink it from the incident instead."))

    def get_absolute_url(self) -> str:
        return reverse("evidence:detail", args=[self.pk])

    @property
    def is_raster_image(self) -> bool:
        return self.mime_type in RASTER_TYPES

    @property
    def is_active_content(self) -> bool:
        return is_active(self.mime_type)

    @property
    def can_be_reprocessed(self) -> bool:
        """Failed, still waiting, or "processing" for longer than any run can last (its worker died)."""
        if self.processing_status in (ProcessingStatus.FAILED, ProcessingStatus.PENDING):
            return True
        return self.processing_status == ProcessingStatus.PROCESSING and (
            self.processing_queued_at is None or self.processing_queued_at < abandoned_before()
        )

    @property
    def is_sensitive(self) -> bool:
        return self.sensitivity != Sensitivity.NONE

    def redacted_copy(self) -> "EvidenceItem | None":
        """The latest redacted working copy of this item, if any."""
        return self.derivatives.order_by("-pk").first() if self.pk else None

    def original_hidden_from(self, user) -> bool:
        """A sensitive original is shown only to those allowed to see sensitive originals."""
        return self.is_sensitive and not user.has_perm("evidence.view_sensitive_original")

    @property
    def has_position(self) -> bool:
        return self.gps_latitude is not None and self.gps_longitude is not None


class Keyframe(models.Model):
    """A frame of a video at a scene change, with its own thumbnail and perceptual hash."""

    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.CASCADE, related_name="keyframes", verbose_name=_("evidence")
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    time_seconds = models.FloatField(verbose_name=_("time seconds"))
    thumbnail_name = models.CharField(max_length=200, verbose_name=_("thumbnail name"))
    perceptual_hash = models.CharField(max_length=32, db_index=True, verbose_name=_("perceptual hash"))
    phash_band0 = models.PositiveIntegerField(null=True, db_index=True, verbose_name=_("phash band0"))
    phash_band1 = models.PositiveIntegerField(null=True, db_index=True, verbose_name=_("phash band1"))
    phash_band2 = models.PositiveIntegerField(null=True, db_index=True, verbose_name=_("phash band2"))

    class Meta:
        ordering = ["evidence", "position"]
        constraints = [models.UniqueConstraint(fields=["evidence", "position"], name="keyframe_position_once")]

    def __str__(self) -> str:
        return f"{self.evidence_id} @ {self.time_seconds:.1f}s"


class IncidentEvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IncidentEvidenceQuerySet":
        """Links whose item the user may see: what every evidence panel and count is built from."""
        return self.filter(evidence__in=EvidenceItem.objects.visible_to(user))


class IncidentEvidence(models.Model):
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="evidence_links", verbose_name=_("incident")
    )
    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="incident_links", verbose_name=_("evidence")
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("linked by")
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    objects = IncidentEvidenceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "evidence"], name="evidence_linked_once")]

    def __str__(self) -> str:
        return f"{self.evidence_id} → {self.incident_id}"


class ClaimEvidence(models.Model):
    class Relation(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        CONTRADICTS = "contradicts", _("Contradicts")

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="evidence_links", verbose_name=_("claim")
    )
    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="claim_links", verbose_name=_("evidence")
    )
    relation = models.CharField(max_length=12, choices=Relation.choices, verbose_name=_("relation"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("linked by")
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "evidence"], name="claim_evidence_linked_once")]

    def __str__(self) -> str:
        return f"{self.evidence_id} {self.relation} claim {self.claim_id}"


class Acquisition(models.Model):
    """One more time the same bytes reached the archive: who brought them, from where, with what notes. The
    item's own source URL and notes describe its first acquisition; these rows keep every later one (each with
    its own custody event), so nothing a researcher typed on a re-upload is lost."""

    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="acquisitions", verbose_name=_("evidence")
    )
    acquired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("acquired by")
    )
    acquired_at = models.DateTimeField(auto_now_add=True, verbose_name=_("acquired at"))
    original_filename = models.CharField(max_length=255, blank=True, verbose_name=_("original file name"))
    source_url = models.URLField(max_length=1000, blank=True, verbose_name=_("source url"))
    acquisition_notes = models.TextField(blank=True, verbose_name=_("acquisition notes"))
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded to incident"),
    )

    class Meta:
        ordering = ["acquired_at", "pk"]
        verbose_name = _("acquisition")
        verbose_name_plural = _("acquisitions")

    def __str__(self) -> str:
        return f"evidence {self.evidence_id} acquired again by user {self.acquired_by_id}"


class VerificationCheck(TimeStampedModel):
    """One Berkeley Protocol check on an evidence item."""

    class Kind(models.TextChoices):
        GEOLOCATED = "geolocated", _("Geolocated")
        CHRONOLOCATED = "chronolocated", _("Chronolocated")
        METADATA_CONSISTENT = "metadata_consistent", _("Metadata consistent")
        SOURCE_IDENTIFIED = "source_identified", _("Source identified")

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        INCONCLUSIVE = "inconclusive", _("Inconclusive")

    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="checks", verbose_name=_("evidence")
    )
    kind = models.CharField(max_length=24, choices=Kind.choices, verbose_name=_("kind"))
    result = models.CharField(max_length=12, choices=Result.choices, verbose_name=_("result"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("performed by")
    )

    class Meta:
        ordering = ["-created_at"]


class CustodyAction(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PROCESSED = "processed", _("Processed")
    VIEWED = "viewed", _("Viewed")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPORTED = "exported", _("Exported")
    LINKED = "linked", _("Linked")
    UNLINKED = "unlinked", _("Unlinked")
    FIXITY_PASSED = "fixity_passed", _("Fixity check passed")
    FIXITY_FAILED = "fixity_failed", _("Fixity check failed")
    CAPTURED = "captured", _("Captured from the web")
    REDACTED = "redacted", _("Redacted copy made")
    REACQUIRED = "reacquired", _("Uploaded again (new acquisition)")


class AppendOnlyError(Exception):
    pass


class CustodyEvent(models.Model):
    """Append-only chain of custody. The database refuses UPDATE and DELETE too (see migrations)."""

    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="custody_events", verbose_name=_("evidence")
    )
    action = models.CharField(max_length=16, choices=CustodyAction.choices, verbose_name=_("action"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    sha256 = models.CharField(
        max_length=64, blank=True, help_text=_("The file's hash at this moment."), verbose_name=_("sha256")
    )
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Custody events are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Custody events are append-only: they cannot be deleted.")


class CaptureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Capturing")
    DONE = "done", _("Captured")
    FAILED = "failed", _("Failed")


class CaptureRole(models.TextChoices):
    SCREENSHOT = "screenshot", _("Full-page screenshot")
    PDF = "pdf", _("PDF print")
    HTML = "html", _("Final HTML")
    WARC = "warc", _("WARC of every response")
    MEDIA = "media", _("Embedded media")


class WebCaptureQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WebCaptureQuerySet":
        """A capture for a restricted incident is seen only by those who see the incident."""
        from verify.incidents.models import Incident

        if not user.is_authenticated or not user.has_perm("evidence.view_evidenceitem"):
            return self.none()
        return self.filter(Q(incident__isnull=True) | Q(incident__in=Incident.objects.visible_to(user)))


class WebCapture(models.Model):
    """One capture of one URL: the page as Chromium loaded it, kept as several evidence items.

    Re-capturing a URL makes a new capture, so that change over time stays visible.
    """

    requested_url = models.TextField(verbose_name=_("requested url"))
    final_url = models.TextField(blank=True, verbose_name=_("final url"))
    redirects = models.JSONField(default=list, blank=True, verbose_name=_("redirects"))
    http_status = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("http status"))
    title = models.CharField(max_length=500, blank=True, verbose_name=_("title"))
    user_agent = models.CharField(max_length=500, blank=True, verbose_name=_("user agent"))
    captured_at = models.DateTimeField(null=True, blank=True, verbose_name=_("captured at"))
    status = models.CharField(
        max_length=10, choices=CaptureStatus.choices, default=CaptureStatus.PENDING, verbose_name=_("status")
    )
    failure_code = models.CharField(max_length=40, blank=True, verbose_name=_("failure code"))
    failure_detail = models.TextField(blank=True, verbose_name=_("failure detail"))
    blocked = models.JSONField(default=list, blank=True, verbose_name=_("blocked"))
    requests = models.PositiveIntegerField(default=0, verbose_name=_("requests"))
    bytes_fetched = models.PositiveBigIntegerField(default=0, verbose_name=_("bytes fetched"))
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="web_captures",
        verbose_name=_("incident"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    items = models.ManyToManyField(
        EvidenceItem, through="WebCaptureItem", related_name="web_captures", verbose_name=_("items")
    )

    objects = WebCaptureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.requested_url} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("evidence:capture_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (CaptureStatus.DONE, CaptureStatus.FAILED)


class WebCaptureItem(models.Model):
    capture = models.ForeignKey(
        WebCapture, on_delete=models.CASCADE, related_name="capture_items", verbose_name=_("capture")
    )
    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="capture_roles", verbose_name=_("evidence")
    )
    role = models.CharField(max_length=12, choices=CaptureRole.choices, verbose_name=_("role"))
    url = models.TextField(blank=True, verbose_name=_("url"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.capture_id} {self.role} {self.evidence_id}"
