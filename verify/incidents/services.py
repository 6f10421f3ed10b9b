"""Writes to incidents. Every function here is the one place its change happens."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone

from verify.incidents import workflow
from verify.incidents.duplicates import MATCHED_FIELDS, duplicates_refresh
from verify.incidents.models import Incident, Status

# Changing one of these changes what the record asserts; a verified record so changed must be reviewed again.
SUBSTANTIVE_FIELDS = (
    "title",
    "summary",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "location_name",
    "latitude",
    "longitude",
    "location_precision",
    "attack_type",
    "target_type",
)
# external_id is set by imports (issue 7), never by the forms.
EDITABLE_FIELDS = (*SUBSTANTIVE_FIELDS, "restricted", "external_id")


def next_reference(*, year: int, prefix: str | None = None) -> str:
    prefix = prefix or settings.VERIFY_REFERENCE_PREFIX
    stem = f"{prefix}-{year}-"
    last = (
        Incident.objects.filter(reference__startswith=stem)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
    ).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{number:04d}"


def incident_create(*, user, data: dict[str, Any], allowed_groups: list[Group] | None = None) -> Incident:
    """Create a draft incident with a fresh reference code such as SYR-2015-0007."""
    fields = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    for attempt in range(5):
        try:
            with transaction.atomic():
                incident = Incident(**fields, created_by=user, last_edited_by=user, status=Status.DRAFT)
                incident._history_user = user
                year = (incident.date_start or timezone.localdate()).year
                incident.reference = next_reference(year=year)
                incident.full_clean()
                incident.save()
                _set_groups(incident, allowed_groups)
                duplicates_refresh([incident.pk])
                return incident
        except IntegrityError:
            # Someone else took this reference in the meantime; the next attempt picks the next number.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def incident_update(
    *, incident: Incident, user, data: dict[str, Any], expected_version: int, allowed_groups: list[Group] | None = None
) -> list[str]:
    """Apply an edit based on `expected_version`. Raises ConflictError if someone saved in between.

    Returns the names of the fields that changed. A save that changes nothing writes nothing: no version, no
    history row, so nobody with the record open is told it changed. A substantive change goes through the
    workflow (a verified incident goes back to review).
    """
    with transaction.atomic():
        changed = [name for name in EDITABLE_FIELDS if name in data and getattr(incident, name) != data[name]]
        groups_changed = allowed_groups is not None and set(incident.allowed_groups.values_list("pk", flat=True)) != {
            g.pk for g in allowed_groups
        }
        if not changed and not groups_changed:
            return []
        for name in changed:
            setattr(incident, name, data[name])
        substantive = [name for name in changed if name in SUBSTANTIVE_FIELDS]
        if substantive:
            incident.last_edited_by = user
        incident.full_clean()
        incident._history_user = user
        incident._change_reason = "edited:" + ",".join(changed) if changed else "edited:allowed_groups"
        incident.save_versioned(expected_version=expected_version)
        if any(name in MATCHED_FIELDS for name in changed):
            duplicates_refresh([incident.pk])
        if groups_changed:
            _set_groups(incident, allowed_groups)
            changed.append("allowed_groups")
        if substantive:
            workflow.record_change(
                incident=incident, by=user, change=workflow.Change.INCIDENT_EDITED, bumped=True, fields=substantive
            )
        return changed


def _set_groups(incident: Incident, groups: list[Group] | None) -> None:
    if groups is not None:
        incident.allowed_groups.set(groups)
