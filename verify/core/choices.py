"""Vocabularies shared by several apps."""

from datetime import timedelta

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    APPROXIMATE_DAY = "approx_day", "Approximate day (± 1 day)"
    WEEK = "week", "Within a week"
    MONTH = "month", "Within a month"
    UNKNOWN = "unknown", "Unknown"

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
    EXACT = "exact", "Exact"
    WITHIN_100M = "within_100m", "Within 100 m"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    TOWN = "town", "Town"
    DISTRICT = "district", "District"
    GOVERNORATE = "governorate", "Governorate"

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

    A = "A", "A – Completely reliable"
    B = "B", "B – Usually reliable"
    C = "C", "C – Fairly reliable"
    D = "D", "D – Not usually reliable"
    E = "E", "E – Unreliable"
    F = "F", "F – Reliability cannot be judged"


class Credibility(models.TextChoices):
    """Admiralty scale for one piece of information, rated apart from its source."""

    CONFIRMED = "1", "1 – Confirmed by other sources"
    PROBABLY_TRUE = "2", "2 – Probably true"
    POSSIBLY_TRUE = "3", "3 – Possibly true"
    DOUBTFUL = "4", "4 – Doubtful"
    IMPROBABLE = "5", "5 – Improbable"
    CANNOT_BE_JUDGED = "6", "6 – Truth cannot be judged"
