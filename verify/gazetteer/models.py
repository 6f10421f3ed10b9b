import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verify.core.models import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS, TimeStampedModel
from verify.lib.gazetteer import normalize_name, search_names

# The scripts researchers type place names in; GeoNames also lists Cyrillic, Greek, CJK… spellings.
_LATIN_OR_ARABIC = re.compile(r"[a-z0-9 \u0621-\u064a]{3,}")


class PlaceQuerySet(models.QuerySet):
    def search(self, text: str) -> "PlaceQuerySet":
        """Match the name or any alternative spelling, ignoring case, accents and hyphens."""
        needle = normalize_name(text)
        if not needle:
            return self.none()
        compact = needle.replace(" ", "")
        return self.filter(Q(search_names__contains=needle) | Q(search_names__contains=compact))

    def lookup(self, text: str, spellings_limit: int = 24) -> tuple[list[int], set[str]]:
        """In one query, for a place name in any spelling:
        - the ids of the matching places and of every place inside a matching governorate (what the incident
          search box and the Place filter both look for);
        - every folded spelling of the places called exactly this ("Idleb" gives "idlib", "ادلب", "edlib"…), so
          that a search in one script finds text typed in another."""
        needle = normalize_name(text)
        if not needle:
            return [], set()
        compact = needle.replace(" ", "")
        matches = Q(search_names__contains=needle) | Q(search_names__contains=compact)
        inside = Q(governorate__search_names__contains=needle) | Q(governorate__search_names__contains=compact)
        ids, forms = [], set()
        for pk, names in self.filter(matches | inside).values_list("pk", "search_names"):
            ids.append(pk)
            if f"|{needle}|" in names:
                forms.update(form for form in names.strip("|").split("|") if _LATIN_OR_ARABIC.fullmatch(form))
        return ids, set(sorted(forms)[:spellings_limit]) | {needle}

    def governorates(self) -> "PlaceQuerySet":
        return self.filter(kind=Place.Kind.GOVERNORATE)


class Place(TimeStampedModel):
    class Kind(models.TextChoices):
        GOVERNORATE = "governorate", _("Governorate")
        CITY = "city", _("City or town")
        LOCALITY = "locality", _("Locality")
        SITE = "site", _("Site")

    name = models.CharField(max_length=200, verbose_name=_("name"))
    name_ar = models.CharField(_("Arabic name"), max_length=200, blank=True)
    alternative_names = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Other spellings and transliterations."),
        verbose_name=_("alternative names"),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CITY, verbose_name=_("kind"))
    governorate = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="places",
        limit_choices_to={"kind": "governorate"},
        verbose_name=_("governorate"),
    )
    country_code = models.CharField(max_length=2, default="SY", verbose_name=_("country code"))
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, validators=LATITUDE_VALIDATORS, verbose_name=_("latitude")
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, validators=LONGITUDE_VALIDATORS, verbose_name=_("longitude")
    )
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True, verbose_name=_("geonames id"))
    population = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("population"))
    # Every spelling, normalised and joined by "|", so one indexed-friendly contains() finds them all.
    search_names = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )

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
        self.search_names = search_names([self.name, self.name_ar, *self.alternative_names])
        super().save(*args, **kwargs)

    @property
    def governorate_name(self) -> str:
        if self.kind == self.Kind.GOVERNORATE:
            return self.name
        return self.governorate.name if self.governorate_id else ""
