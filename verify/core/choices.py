"""Vocabularies shared by several apps."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    APPROXIMATE_DAY = "approx_day", _("Approximate day (± 1 day)")
    WEEK = "week", _("Within a week")
    MONTH = "month", _("Within a month")
    UNKNOWN = "unknown", _("Unknown")

    @property
    def tolerance(self) -> timedelta | None:
        """How far a reported date may stray from the true date; None when unbounded."""
        return {
            "day": timedelta(days=0),
            "approx_day": timedelta(days=1),
            "week": timedelta(days=7),
            "month": timedelta(days=31),
            "unknown": None,
        }[self.value]


class LocationPrecision(models.TextChoices):
    EXACT = "exact", _("Exact")
    WITHIN_100M = "within_100m", _("Within 100 m")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    TOWN = "town", _("Town")
    DISTRICT = "district", _("District")
    GOVERNORATE = "governorate", _("Governorate")

    @property
    def radius_m(self) -> int:
        """The radius drawn on the map, and used when comparing places."""
        return {
            "exact": 10,
            "within_100m": 100,
            "neighbourhood": 1_000,
            "town": 5_000,
            "district": 20_000,
            "governorate": 60_000,
        }[self.value]


class Reliability(models.TextChoices):
    """Admiralty scale for a source."""

    A = "A", _("A – Completely reliable")
    B = "B", _("B – Usually reliable")
    C = "C", _("C – Fairly reliable")
    D = "D", _("D – Not usually reliable")
    E = "E", _("E – Unreliable")
    F = "F", _("F – Reliability cannot be judged")


class Credibility(models.TextChoices):
    """Admiralty scale for one piece of information, rated apart from its source."""

    CONFIRMED = "1", _("1 – Confirmed by other sources")
    PROBABLY_TRUE = "2", _("2 – Probably true")
    POSSIBLY_TRUE = "3", _("3 – Possibly true")
    DOUBTFUL = "4", _("4 – Doubtful")
    IMPROBABLE = "5", _("5 – Improbable")
    CANNOT_BE_JUDGED = "6", _("6 – Truth cannot be judged")
