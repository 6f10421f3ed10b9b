from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from verify.core.choices import Credibility, DatePrecision, LocationPrecision, Reliability
from verify.core.display import range_text
from verify.core.models import (
    DATE_VALIDATORS,
    LATITUDE_VALIDATORS,
    LONGITUDE_VALIDATORS,
    TimeStampedModel,
    VersionedModel,
)
from verify.lib.names import normalise
from verify.lib.trees import descendants, lineage

RESTRICTED_ORIGIN_HELP = _(
    "Named first in restricted work: seen only by those who can see a record that uses it, until a visible "
    "incident uses it. Untick to release it to everyone."
)


class VocabularyQuerySet(models.QuerySet):
    """Sources and actors are shared names. One created in restricted work (`restricted_origin`) is seen only by
    users who can see a claim that uses it; a claim on a visible incident makes it visible to all who see that."""

    used_by_claims_as: str = ""

    def visible_to(self, user) -> "VocabularyQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.has_perm("incidents.view_all_restricted"):
            return self
        used = Claim.objects.visible_to(user).filter(**{f"{self.used_by_claims_as}__isnull": False})
        return self.filter(Q(restricted_origin=False) | Q(pk__in=used.values(self.used_by_claims_as)))

    def active(self) -> "VocabularyQuerySet":
        """Not merged into another: the ones to list and offer."""
        return self.filter(merged_into__isnull=True)

    def matching(self, name: str) -> "VocabularyQuerySet":
        """The active ones named so, or known by that alias, whatever the spelling (verify.lib.names)."""
        form = normalise(name)
        if not form:
            return self.none()
        named = self.filter(normalised_name=form).values("pk")
        aliased = self.filter(aliases__normalised=form).values("pk")
        return self.active().filter(Q(pk__in=named) | Q(pk__in=aliased))


class ActorQuerySet(VocabularyQuerySet):
    used_by_claims_as = "perpetrator"


class SourceQuerySet(VocabularyQuerySet):
    used_by_claims_as = "source"


class NamedEntity(TimeStampedModel, VersionedModel):
    """What sources and actors share: a name, its matching form, and being merged into another of their kind."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False, default="")
    restricted_origin = models.BooleanField(default=False, help_text=RESTRICTED_ORIGIN_HELP)
    merge_note = models.TextField(blank=True, editable=False, help_text=_("Why it was merged into another."))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalised_name = normalise(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalised_name"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.name and not normalise(self.name):
            raise ValidationError({"name": _("A name needs at least one letter or digit.")})

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None  # type: ignore[attr-defined]


class Actor(NamedEntity):
    """A party that may have carried out an attack. Actors nest: a branch is part of its armed force."""

    class Kind(models.TextChoices):
        STATE_ARMED_FORCE = "state_armed_force", _("State armed force")
        BRANCH = "branch", _("Branch of an armed force")
        ARMED_GROUP = "armed_group", _("Armed group")
        COALITION = "coalition", _("Coalition")
        OTHER = "other", _("Other")

    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.OTHER)
    party_to_conflict = models.BooleanField(_("party to the conflict"), default=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("part of"),
        help_text=_("The force this one belongs to, e.g. the Aerospace Forces are part of the Armed Forces."),
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="actor_not_its_own_parent"),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="actor_not_merged_into_itself"),
        ]

    def clean(self) -> None:
        super().clean()
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An actor cannot be part of itself.")})
        if self.pk and self.pk in self.parent.lineage_ids():
            raise ValidationError(
                {
                    "parent": _("%(parent)s is already part of %(actor)s: that would make a loop.")
                    % {"parent": self.parent, "actor": self}
                }
            )

    def lineage_ids(self) -> list[int]:
        """This actor's pk and its ancestors' pks, nearest first. Stops at a loop rather than running forever."""
        parent_of = _actor_parents()
        return list(lineage(self.pk, parent_of, max_depth=len(parent_of) + 1))

    def descendant_ids(self) -> set[int]:
        """Every actor that is part of this one, at any depth."""
        return descendants([self.pk], _actor_parents())


def _actor_parents() -> dict[int, int | None]:
    """Each actor's parent: the whole "part of" tree in one query (actors are a small vocabulary)."""
    return dict(Actor.objects.values_list("pk", "parent_id"))


class Source(NamedEntity):
    """Who makes claims. Reliability is the Admiralty letter, rated with a rationale by someone at some time."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("Human-rights organisation")
        UN = "un", _("United Nations body")
        GOVERNMENT = "government", _("Government or ministry")
        MILITARY = "military", _("Military spokesperson")
        NEWS_AGENCY = "news_agency", _("News agency or outlet")
        LOCAL_ACTIVISTS = "local_activists", _("Local activists")
        MONITOR = "monitor", _("Monitoring group")
        WITNESS = "witness", _("Witness")
        FIRST_RESPONDER = "first_responder", _("First responder")
        MEDICAL = "medical", _("Medical staff")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    affiliation = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliated_sources",
        help_text=_("The party this source speaks for, if any. A ministry speaks for its armed forces."),
        verbose_name=_("affiliation"),
    )
    reliability = models.CharField(_("reliability"), max_length=1, choices=Reliability.choices, default=Reliability.F)
    reliability_rationale = models.TextField(_("rationale"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    rated_at = models.DateTimeField(null=True, blank=True, editable=False)
    url = models.URLField(_("web address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", editable=False
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # One source per name whatever its case: "BBC" and "bbc" are one source, and two people adding it at
            # the same moment get the same one (services.source_create).
            models.UniqueConstraint(Lower("name"), name="source_name_unique_ignoring_case"),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="source_not_merged_into_itself"),
        ]

    @property
    def is_belligerent(self) -> bool:
        return bool(self.affiliation_id and self.affiliation.party_to_conflict)


class Alias(TimeStampedModel):
    """Another name of a source or an actor: an abbreviation, a spelling, an Arabic name, a dataset's name.

    The matching form is unique among the aliases of one kind of entity; that it is nobody else's name either is
    checked by the services that add aliases (verify.claims.entities)."""

    name = models.CharField(_("alias"), max_length=200)
    normalised = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalised = normalise(self.name)
        super().save(*args, **kwargs)


class SourceAlias(Alias):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("source"))


class ActorAlias(Alias):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("actor"))


class Stance(models.TextChoices):
    ALLEGES = "alleges", _("Alleges the attack")
    CORROBORATES = "corroborates", _("Corroborates the attack")
    DENIES = "denies", _("Denies the attack")
    DENIES_RESPONSIBILITY = "denies_responsibility", _("Acknowledges the attack, denies responsibility")
    ALTERNATIVE = "alternative", _("Gives an alternative explanation")
    ACKNOWLEDGES = "acknowledges", _("Acknowledges responsibility")


class ClaimQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ClaimQuerySet":
        from verify.incidents.models import Incident

        return self.filter(incident__in=Incident.objects.visible_to(user))

    def independent(self) -> "ClaimQuerySet":
        return self.filter(derived_from__isnull=True)


class Claim(TimeStampedModel, VersionedModel):
    """One source's statement about one incident, with the facts it asserts."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="claims", verbose_name=_("incident")
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims", verbose_name=_("source"))
    stance = models.CharField(max_length=24, choices=Stance.choices, verbose_name=_("stance"))
    published_on = models.DateField(null=True, blank=True, validators=DATE_VALIDATORS, verbose_name=_("published on"))
    url = models.URLField(max_length=1000, blank=True, verbose_name=_("url"))
    excerpt = models.TextField(
        blank=True, help_text=_("A short quotation or paraphrase of what the source said."), verbose_name=_("excerpt")
    )

    killed_min = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("killed min"))
    killed_max = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("killed max"))
    injured_min = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("injured min"))
    injured_max = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("injured max"))
    perpetrator = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_as_perpetrator",
        verbose_name=_("perpetrator"),
    )
    munition = models.CharField(max_length=200, blank=True, verbose_name=_("munition"))
    event_date = models.DateField(null=True, blank=True, validators=DATE_VALIDATORS, verbose_name=_("event date"))
    event_date_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("event date precision")
    )
    place = models.ForeignKey(
        "gazetteer.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
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
    military_objective_present = models.BooleanField(
        null=True,
        blank=True,
        help_text=_("Does the source say a military objective was present? Blank if silent."),
        verbose_name=_("military objective present"),
    )
    military_objective_distance_m = models.PositiveIntegerField(
        _("distance to the military objective (m)"), null=True, blank=True
    )

    credibility = models.CharField(
        max_length=1, choices=Credibility.choices, default=Credibility.CANNOT_BE_JUDGED, verbose_name=_("credibility")
    )
    derived_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derivatives",
        help_text=_("The claim this one merely repeats. Derived claims do not count as independent."),
        verbose_name=_("derived from"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last edited by"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(killed_min__isnull=True) | Q(killed_max__isnull=True) | Q(killed_min__lte=F("killed_max")),
                name="claim_killed_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(injured_min__isnull=True)
                | Q(injured_max__isnull=True)
                | Q(injured_min__lte=F("injured_max")),
                name="claim_injured_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="claim_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="claim_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="claim_coordinates_paired",
            ),
            models.CheckConstraint(condition=~Q(derived_from=F("pk")), name="claim_not_derived_from_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source} – {self.get_stance_display()}"

    def clean(self) -> None:
        errors = {}
        if self.killed_min is not None and self.killed_max is not None and self.killed_min > self.killed_max:
            errors["killed_max"] = gettext(gettext("The maximum killed cannot be lower than the minimum."))
        if self.injured_min is not None and self.injured_max is not None and self.injured_min > self.injured_max:
            errors["injured_max"] = gettext(gettext("The maximum injured cannot be lower than the minimum."))
        today = timezone.localdate()
        if self.event_date and self.event_date > today:
            errors["event_date"] = gettext(gettext("The date cannot be in the future."))
        if self.published_on and self.published_on > today:
            errors["published_on"] = gettext(gettext("The publication date cannot be in the future."))
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = gettext(
                gettext("Give both latitude and longitude, or neither.")
            )
        if self.derived_from_id:
            if self.pk and self.derived_from_id == self.pk:
                errors["derived_from"] = gettext(gettext("A claim cannot be derived from itself."))
            elif self.incident_id and self.derived_from.incident_id != self.incident_id:
                errors["derived_from"] = gettext(
                    gettext("A claim can only be derived from another claim about the same incident.")
                )
        if self.military_objective_distance_m is not None and self.military_objective_present is False:
            errors["military_objective_distance_m"] = gettext(
                gettext("A distance only makes sense if an objective is said to be present.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_independent(self) -> bool:
        return self.derived_from_id is None

    @property
    def killed_display(self) -> str:
        return range_text(self.killed_min, self.killed_max)

    @property
    def injured_display(self) -> str:
        return range_text(self.injured_min, self.injured_max)
