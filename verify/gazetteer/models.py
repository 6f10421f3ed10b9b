from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verify.core.models import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS, TimeStampedModel
from verify.lib.gazetteer import normalize_name


class PlaceQuerySet(models.QuerySet):
    def search(self, text: str) -> "PlaceQuerySet":
        """Match the name or any alternative spelling, ignoring case, accents and hyphens."""
        needle = normalize_name(text)
        if not needle:
            return self.none()
        compact = needle.replace(" ", "")
        return self.filter(Q(search_names__contains=needle) | Q(search_names__contains=compact))

    def governorates(self) -> "PlaceQuerySet":
        return self.filter(kind=Place.Kind.GOVERNORATE)


class Place(TimeStampedModel):
    class Kind(models.TextChoices):
        GOVERNORATE = "governorate", _("Governorate")
        CITY = "city", _("City or town")
        LOCALITY = "locality", _("Locality")
        SITE = "site", _("Site")

    name = models.CharField(max_length=200)
    name_ar = models.CharField(_("Arabic name"), max_length=200, blank=True)
    alternative_names = models.JSONField(default=list, blank=True, help_text=_("Other spellings and transliterations."))
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CITY)
    governorate = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="places",
        limit_choices_to={"kind": "governorate"},
    )
    country_code = models.CharField(max_length=2, default="SY")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, validators=LATITUDE_VALIDATORS)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, validators=LONGITUDE_VALIDATORS)
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    # Every spelling, normalised and joined by "|", so one indexed-friendly contains() finds them all.
    search_names = models.TextField(editable=False, default="")
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="place_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180), name="place_longitude_range"),
        ]

    def __str__(self) -> str:
        if self.governorate_id and self.kind != self.Kind.GOVERNORATE:
            return f"{self.name} ({self.governorate.name})"
        return self.name

    def save(self, *args, **kwargs) -> None:
        names = {normalize_name(n) for n in [self.name, self.name_ar, *self.alternative_names] if n}
        # Spaced and unspaced forms, so "Deir Ezzor" finds "Deir ez-Zor".
        names |= {n.replace(" ", "") for n in names}
        self.search_names = "|" + "|".join(sorted(names)) + "|"
        super().save(*args, **kwargs)

    @property
    def governorate_name(self) -> str:
        if self.kind == self.Kind.GOVERNORATE:
            return self.name
        return self.governorate.name if self.governorate_id else ""
