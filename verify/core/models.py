import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LATITUDE_VALIDATORS = [
    MinValueValidator(-90, _("Latitude must be between -90 and 90.")),
    MaxValueValidator(90, _("Latitude must be between -90 and 90.")),
]
LONGITUDE_VALIDATORS = [
    MinValueValidator(-180, _("Longitude must be between -180 and 180.")),
    MaxValueValidator(180, _("Longitude must be between -180 and 180.")),
]

# No record here is older than this: an earlier date is a typing slip (year 1 for 2021), and dates far from today
# broke the date arithmetic of the duplicate search. Whether a date is in the future is checked in clean() and the
# forms, since "today" cannot be a validator's fixed bound or a database constraint.
EARLIEST_DATE = datetime.date(1900, 1, 1)
DATE_VALIDATORS = [
    MinValueValidator(EARLIEST_DATE, _("Dates before 1 January 1900 are not accepted.")),
]


class HistoryStamped:
    """django-simple-history reads these from an instance as it saves: who made the change, and why (a code)."""

    _history_user: Any
    _change_reason: str


class TimeStampedModel(HistoryStamped, models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ConflictError(Exception):
    """A save was based on a version that someone else has since replaced."""

    def __init__(self, instance: models.Model, expected_version: int):
        self.instance = instance
        self.expected_version = expected_version
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        self.current = current
        self.current_version = current.version if current else None
        super().__init__(
            gettext(
                "%(thing)s was changed by someone else while you were editing (you edited version %(yours)s, it is "
                "now version %(theirs)s). Your changes have not been saved."
            )
            % {
                "thing": capfirst(instance._meta.verbose_name),
                "yours": expected_version,
                "theirs": self.current_version,
            }
        )


class VersionedModel(HistoryStamped, models.Model):
    """Optimistic locking: every save states the version it was based on.

    The version check is a conditional UPDATE, which takes the row's write lock on every database, so two
    saves based on the same version can never both succeed.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, *, expected_version: int, **kwargs) -> None:
        if self.pk is None:
            raise ValueError("save_versioned() is for existing rows; use save() to create.")
        with transaction.atomic():
            bumped = (
                type(self)
                ._default_manager.filter(pk=self.pk, version=expected_version)
                .update(version=F("version") + 1)
            )
            if not bumped:
                raise ConflictError(self, expected_version)
            self.version = expected_version + 1
            self.save(**kwargs)


class IdempotencyKey(TimeStampedModel):
    """A creation form's one-time key and what its first POST created (see verify/core/idempotency.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(max_length=32, verbose_name=_("key"))
    url = models.CharField(max_length=500, blank=True, verbose_name=_("url"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.key} → {self.url or '(creating)'}"
