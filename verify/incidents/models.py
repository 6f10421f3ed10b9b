from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from verify.core.choices import DatePrecision, LocationPrecision
from verify.core.display import distance_text
from verify.core.models import (
    DATE_VALIDATORS,
    EARLIEST_DATE,
    LATITUDE_VALIDATORS,
    LONGITUDE_VALIDATORS,
    TimeStampedModel,
    VersionedModel,
)
from verify.lib.fold import fold
from verify.lib.trees import descendants


class AttackType(models.TextChoices):
    AIRSTRIKE = "airstrike", _("Airstrike")
    MISSILE = "missile", _("Missile")
    SHELLING = "shelling", _("Shelling")
    BARREL_BOMB = "barrel_bomb", _("Barrel bomb")
    CLUSTER_MUNITION = "cluster_munition", _("Cluster munition")
    CHEMICAL = "chemical", _("Chemical")
    GROUND_ATTACK = "ground_attack", _("Ground attack")
    OTHER = "other", _("Other")


class TargetType(models.TextChoices):
    MARKET = "market", _("Market")
    RESIDENTIAL = "residential", _("Residential")
    MEDICAL = "medical", _("Medical")
    SCHOOL = "school", _("School")
    RELIGIOUS = "religious", _("Religious")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    MILITARY = "military", _("Military")
    UNKNOWN = "unknown", _("Unknown")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    VERIFIED = "verified", _("Verified")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class Grade(models.TextChoices):
    """Confidence grades adapted from Airwars."""

    UNASSESSED = "unassessed", _("Unassessed")
    CONFIRMED = "confirmed", _("Confirmed")
    FAIR = "fair", _("Fair")
    WEAK = "weak", _("Weak")
    CONTESTED = "contested", _("Contested")
    DISCOUNTED = "discounted", _("Discounted")


def visibility(user, prefix: str = "") -> Q:
    """The condition of Incident.objects.visible_to(user), for a query reaching incidents through `prefix`.

    With a prefix such as "incident_a__" a table of pairs is filtered through its joins, which lets the database
    read the pairs in index order instead of testing every pair of visible incidents.
    """
    nothing = Q(**{f"{prefix}pk__in": []})
    if not user.is_authenticated or not user.is_active or not user.has_perm("incidents.view_incident"):
        return nothing
    live = Q(**{f"{prefix}merged_into__isnull": True})
    if user.is_superuser or user.has_perm("incidents.view_all_restricted"):
        return live
    allowed = Incident.allowed_groups.through.objects.filter(group__user=user).values("incident_id")
    return live & (Q(**{f"{prefix}restricted": False}) | Q(**{f"{prefix}pk__in": allowed}))


# Labels are written in the CSV exports as one cell, separated by this; so a name cannot contain it.
LABEL_SEPARATOR = ";"


class LabelQuerySet(models.QuerySet):
    def with_descendants(self, ids) -> set[int]:
        """These labels' ids and those of every label nested under them (the vocabulary is small: one query)."""
        roots = {int(i) for i in ids}
        return roots | descendants(roots, dict(self.model.objects.values_list("pk", "parent_id")))

    def tree(self) -> list[tuple["Label", int]]:
        """These labels in tree order, each with its depth: parents first, children under them, by name."""
        labels = list(self.order_by(Lower("name"), "pk"))
        present = {label.pk for label in labels}
        children: dict[int | None, list[Label]] = {}
        for label in labels:
            children.setdefault(label.parent_id if label.parent_id in present else None, []).append(label)
        result: list[tuple[Label, int]] = []

        def walk(parent_id: int | None, depth: int) -> None:
            for label in children.get(parent_id, []):
                result.append((label, depth))
                walk(label.pk, depth + 1)

        walk(None, 0)
        return result


class Label(TimeStampedModel):
    """A word from the researchers' own vocabulary ("double tap", "Amnesty report Dec 2015") tagged on incidents.

    Labels are one vocabulary for the whole site, seen by every signed-in user whatever incidents they may see, so
    a name must never carry a sensitive detail. Labels nest: filtering by a label includes those under it.
    """

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent label"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = LabelQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="label_name_unique_ci"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="label_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def _subtree(self) -> set[int]:
        return Label.objects.with_descendants([self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.name = " ".join((self.name or "").split())
        if not self.name:
            errors["name"] = _("A label needs a name.")
        elif LABEL_SEPARATOR in self.name:
            errors["name"] = _("A label name cannot contain “%(sep)s”.") % {"sep": LABEL_SEPARATOR}
        elif Label.objects.filter(name__iexact=self.name).exclude(pk=self.pk).exists():
            errors["name"] = _("There is already a label “%(name)s” (names are compared ignoring case).") % {
                "name": self.name
            }
        if self.parent_id is not None and self.pk is not None and self.parent_id in self._subtree():
            errors["parent"] = _("A label cannot be placed under itself or under one of its own sub-labels.")
        if errors:
            raise ValidationError(errors)


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IncidentQuerySet":
        """What this user may see. Restricted incidents only for members of their allowed groups.

        Merged-away incidents are left out: their reference leads to the incident they were merged into.
        """
        return self.filter(visibility(user))

    def search(self, text: str) -> "IncidentQuerySet":
        """Incidents whose reference, title, summary or location mention the text in any spelling ("ادلب" finds
        "إدلب", "idleb" finds "Idléb"), or whose place is a place of that name or inside a governorate of that name
        (so the search box and the Place filter agree), or whose text names that place in another spelling."""
        text = text.strip()
        needle = fold(text)
        if not needle:
            return self
        # The matching places are looked up first (the gazetteer is small) so that the incidents are filtered by a
        # list of place ids: with a join, PostgreSQL could not combine this with the trigram index on search_text.
        place_model = self.model._meta.get_field("place").related_model
        place_ids, spellings = place_model.objects.lookup(text)
        # A merged-away reference finds the incident it was merged into (merges are rare: a small id list).
        merged_into = list(
            self.model.objects.filter(reference__iexact=text, merged_into__isnull=False).values_list(
                "merged_into_id", flat=True
            )
        )
        # A place's name finds text that spells it another way or in the other script ("Idleb" finds "إدلب").
        mentions = Q(search_text__contains=needle)
        for spelling in spellings - {needle}:
            mentions |= Q(search_text__contains=spelling)
        return self.filter(mentions | Q(pk__in=merged_into) | Q(place__in=place_ids))

    def with_counts(self, user) -> "IncidentQuerySet":
        """Claim and evidence counts as correlated subqueries rather than joins with GROUP BY: the database works
        them out only for the rows it returns (one page), and `count()` leaves them out altogether. With joins,
        every count and every page aggregated all the claims of all matching incidents. Evidence the user may not
        see (linked to a restricted incident outside their groups) is never counted."""
        evidence_links = self.model._meta.get_field("evidence_links").related_model.objects.visible_to(user)
        return self.annotate(
            claim_count=_count_of(self.model._meta.get_field("claims").related_model.objects.all()),
            evidence_count=_count_of(evidence_links),
        )

    def verified(self) -> "IncidentQuerySet":
        return self.filter(status=Status.VERIFIED)

    def in_review_queue(self) -> "IncidentQuerySet":
        return self.filter(status=Status.SUBMITTED).order_by("submitted_at", "pk")

    def counts_by(self, field: str) -> dict[str, int]:
        rows = self.order_by().values(field).annotate(n=Count("pk"))
        return {row[field]: row["n"] for row in rows}


def _count_of(rows: models.QuerySet) -> Coalesce:
    rows = rows.filter(incident=OuterRef("pk")).order_by().values("incident").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), 0)


class Incident(TimeStampedModel, VersionedModel):
    reference = models.CharField(max_length=32, unique=True, editable=False)
    # The incident's identifier in the dataset it was imported from; re-importing the same file updates it.
    external_id = models.CharField(max_length=100, blank=True, db_index=True, verbose_name=_("external id"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    summary = models.TextField(blank=True, verbose_name=_("summary"))

    date_start = models.DateField(null=True, blank=True, validators=DATE_VALIDATORS, verbose_name=_("date start"))
    date_end = models.DateField(null=True, blank=True, validators=DATE_VALIDATORS, verbose_name=_("date end"))
    date_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("date precision")
    )

    place = models.ForeignKey(
        "gazetteer.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("place"),
    )
    location_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The place as reported, e.g. 'main market street, Ariha'."),
        verbose_name=_("location name"),
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=LATITUDE_VALIDATORS,
        null=True,
        blank=True,
        verbose_name=_("latitude"),
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        validators=LONGITUDE_VALIDATORS,
        null=True,
        blank=True,
        verbose_name=_("longitude"),
    )
    location_precision = models.CharField(
        max_length=16,
        choices=LocationPrecision.choices,
        default=LocationPrecision.TOWN,
        verbose_name=_("location precision"),
    )

    attack_type = models.CharField(
        max_length=20, choices=AttackType.choices, default=AttackType.OTHER, verbose_name=_("attack type")
    )
    target_type = models.CharField(
        max_length=20, choices=TargetType.choices, default=TargetType.UNKNOWN, verbose_name=_("target type")
    )

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True, verbose_name=_("status")
    )
    grade = models.CharField(
        max_length=12, choices=Grade.choices, default=Grade.UNASSESSED, db_index=True, verbose_name=_("grade")
    )
    grade_rationale = models.TextField(blank=True, verbose_name=_("grade rationale"))
    # Kept up to date from the claims by the cross-checking service, so lists and maps can filter on them cheaply.
    suggested_grade = models.CharField(
        max_length=12, choices=Grade.choices, default=Grade.UNASSESSED, verbose_name=_("suggested grade")
    )
    suggestion_reasons = models.JSONField(default=list, blank=True, verbose_name=_("suggestion reasons"))
    has_disagreements = models.BooleanField(default=False, db_index=True, verbose_name=_("has disagreements"))
    denied_by_party = models.BooleanField(default=False, db_index=True, verbose_name=_("denied by party"))

    restricted = models.BooleanField(
        default=False, help_text=_("Only members of the allowed groups can see it."), verbose_name=_("restricted")
    )
    allowed_groups = models.ManyToManyField(
        Group, blank=True, related_name="restricted_incidents", verbose_name=_("allowed groups")
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="incidents_created",
        verbose_name=_("created by"),
    )
    # The last person to change the record's substance: the two-person rule keeps them from reviewing it.
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name=_("submitted at"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents_assigned",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("assigned at"))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # Why this incident was merged into another (required by the merge; shown in both histories).
    merge_note = models.TextField(blank=True, verbose_name=_("merge note"))
    # The reference, title, summary and location as typed, folded by verify.lib.fold (Arabic letter variants, marks,
    # digits, Latin accents, case): what the search box matches, through a trigram index on PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    # Not substantive: tagging a verified incident does not send it back to review (see incident_update).
    labels = models.ManyToManyField(Label, blank=True, related_name="incidents", verbose_name=_("labels"))

    history = HistoricalRecords(excluded_fields=["updated_at", "search_text"])
    objects = IncidentQuerySet.as_manager()

    SEARCHED_FIELDS = ("reference", "title", "summary", "location_name")

    class Meta:
        ordering = ["-date_start", "-pk"]
        permissions = [
            ("view_all_restricted", "Can see every restricted incident"),
            ("review_incident", "Can review incidents and set their final grade"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_start__isnull=True) | Q(date_end__isnull=True) | Q(date_start__lte=F("date_end")),
                name="incident_date_window_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(date_start__isnull=True) | Q(date_start__gte=EARLIEST_DATE))
                & (Q(date_end__isnull=True) | Q(date_end__gte=EARLIEST_DATE)),
                name="incident_dates_not_before_1900",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="incident_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="incident_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="incident_coordinates_paired",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="incident_not_merged_into_itself"),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="incident_external_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["date_start", "date_end"]),
            # The list's default order (newest first), so a page is read from the index without sorting them all.
            models.Index(F("date_start").desc(), F("id").desc(), name="incident_date_desc_idx"),
            # Who may see what (visible_to), answered from the index alone: counting a large list stays cheap.
            models.Index(
                fields=["restricted", "id"], condition=Q(merged_into__isnull=True), name="incident_visible_idx"
            ),
            # The map's bounding box; on PostgreSQL it also covers what the map clusters by, so that the grid of
            # the whole country is read from the index alone.
            models.Index(
                fields=["latitude", "longitude"],
                include=["grade", "restricted", "id"],
                condition=Q(merged_into__isnull=True),
                name="incident_map_idx",
            ),
            models.Index(fields=["attack_type", "date_start"], name="incident_attack_date_idx"),
            models.Index(fields=["target_type", "date_start"], name="incident_target_date_idx"),
            # The review queue: submitted incidents, oldest first (take-next reads the first unlocked row).
            models.Index(fields=["status", "submitted_at"], name="incident_queue_idx"),
            # The queue and the items in review, in the queue's order with the tie-breaker, covering what the queue's
            # filter counts read, so that counting a large queue is an index-only scan (issue 19: 150,000 submitted
            # and 50,000 in review at 1,000,000 incidents).
            models.Index(
                fields=["status", "submitted_at", "id"],
                include=["attack_type", "place", "restricted", "assigned_to"],
                condition=Q(status__in=["submitted", "in_review"], merged_into__isnull=True),
                name="incident_queue_cover_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("incidents:detail", args=[self.reference])

    def refresh_search_text(self) -> None:
        """Call before a bulk_create, which does not go through save()."""
        self.search_text = fold("\n".join(getattr(self, name) or "" for name in self.SEARCHED_FIELDS))

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Deleting would cascade away claims, comments and evidence links with no custody record; an incident
        # that should not exist is merged into the right one instead.
        raise ValidationError(_("Incidents are never deleted. Merge a duplicate into the right incident instead."))

    @property
    def precision_radius_m(self) -> int:
        return LocationPrecision(self.location_precision).radius_m

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def date_display(self) -> str:
        if not self.date_start:
            return gettext("Date unknown")
        # "05 Jan 2016", with the month's name in the reader's language.
        start = date_format(self.date_start, "d M Y")
        if self.date_end and self.date_end != self.date_start:
            return pgettext("date window", "%(start)s – %(end)s") % {
                "start": start,
                "end": date_format(self.date_end, "d M Y"),
            }
        return start

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.date_start and self.date_start > today:
            errors["date_start"] = gettext(gettext("The date cannot be in the future."))
        if self.date_end and self.date_end > today:
            errors["date_end"] = gettext(gettext("The date cannot be in the future."))
        if self.date_start and self.date_end and self.date_end < self.date_start:
            errors["date_end"] = gettext(gettext("The window must end on or after its start."))
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = gettext(
                gettext("Give both latitude and longitude, or neither.")
            )
        if self.merged_into_id:
            target, seen = self.merged_into, {self.pk}
            while target is not None:
                if target.pk in seen:
                    errors["merged_into"] = gettext(gettext("Merging into this incident would make a cycle of merges."))
                    break
                seen.add(target.pk)
                target = target.merged_into
        if errors:
            raise ValidationError(errors)

    def is_visible_to(self, user) -> bool:
        return Incident.objects.visible_to(user).filter(pk=self.pk).exists()


class DuplicateDismissal(TimeStampedModel):
    """A researcher's judgement that two incidents, though near in space and time, are different attacks."""

    # Stored with the lower primary key first, so that each pair is recorded once.
    incident_a = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("incident a"))
    incident_b = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("incident b"))
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dismissed by")
    )
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident_a", "incident_b"], name="duplicate_dismissed_once"),
            models.CheckConstraint(condition=Q(incident_a__lt=F("incident_b")), name="duplicate_dismissal_ordered"),
        ]

    def __str__(self) -> str:
        return gettext("%(a)s is not a duplicate of %(b)s") % {"a": self.incident_a_id, "b": self.incident_b_id}


class DuplicateCandidate(models.Model):
    """A pair of incidents that may be the same attack, stored when either of them changes.

    Worked out for every incident, whoever may see it, by verify.incidents.duplicates; readers keep only the pairs
    whose two incidents they may both see. Stored with the lower primary key first, so that each pair is once here.
    """

    incident_a = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("incident a"))
    incident_b = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("incident b"))
    distance_m = models.FloatField(verbose_name=_("distance m"))
    # The later of the two start dates: the site-wide list shows the most recent pairs first, read from an index.
    latest_date = models.DateField(verbose_name=_("latest date"))
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident_a", "incident_b"], name="duplicate_candidate_once"),
            models.CheckConstraint(condition=Q(incident_a__lt=F("incident_b")), name="duplicate_candidate_ordered"),
        ]
        indexes = [models.Index(F("latest_date").desc(), F("id").desc(), name="duplicate_candidate_recent_idx")]

    def __str__(self) -> str:
        return gettext("%(a)s may be a duplicate of %(b)s") % {"a": self.incident_a_id, "b": self.incident_b_id}

    @property
    def first(self) -> Incident:
        return self.incident_a

    @property
    def second(self) -> Incident:
        return self.incident_b

    @property
    def distance_text(self) -> str:
        return distance_text(self.distance_m)


class TransitionReason(models.TextChoices):
    """Why an incident's status changed: stored as a code, put into words when shown."""

    SUBMITTED = "submitted", _("Submitted for review")
    WITHDRAWN = "withdrawn", _("Withdrawn to draft")
    TAKEN = "taken", _("Taken for review")
    ASSIGNED = "assigned", _("Assigned for review")
    RELEASED = "released", _("Released back to the queue")
    VERIFIED = "verified", _("Verified")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REOPENED = "reopened", _("A substantive change sent it back to review")


class StatusTransition(models.Model):
    """Who moved an incident from one status to another, when, and why. Written by verify.incidents.workflow only.

    `reason` and `params` say why in codes (see workflow.change_text); `note` is what the person typed.
    """

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="transitions", verbose_name=_("incident")
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, verbose_name=_("from status"))
    to_status = models.CharField(max_length=20, choices=Status.choices, verbose_name=_("to status"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.CharField(max_length=24, choices=TransitionReason.choices, blank=True, verbose_name=_("reason"))
    params = models.JSONField(default=dict, blank=True, verbose_name=_("params"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        db_table = "review_statustransition"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def text(self) -> str:
        """Why the status changed, in the reader's language (the reason code and its parameters put into words)."""
        from verify.incidents.workflow import transition_text  # the workflow owns the words for its codes

        return transition_text(self)


class SavedSearchQuerySet(models.QuerySet):
    def for_user(self, user) -> "SavedSearchQuerySet":
        """The searches this user may use: their own and those shared with one of their groups."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(group__in=user.groups.all())).select_related("owner", "group")


class SavedSearch(TimeStampedModel):
    """A named filter of the incident list, private to its owner or shared with one of the owner's groups. It keeps
    only the query string: whoever opens it sees the incidents they may see, so sharing never shows more."""

    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("owner")
    )
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("shared with"),
    )
    query = models.CharField(_("filter"), max_length=2000, blank=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [models.UniqueConstraint("owner", Lower("name"), name="saved_search_name_unique_per_owner")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("incidents:list") + ("?" + self.query if self.query else "")
