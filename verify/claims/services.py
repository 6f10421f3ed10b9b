"""Writes to claims and sources."""

from typing import Any

from django.db import transaction

from verify.claims.crosscheck import incident_recompute
from verify.claims.models import Claim, Source
from verify.incidents import workflow
from verify.incidents.models import Incident

CLAIM_FIELDS = (
    "source",
    "stance",
    "published_on",
    "url",
    "excerpt",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "perpetrator",
    "munition",
    "event_date",
    "event_date_precision",
    "place",
    "latitude",
    "longitude",
    "location_precision",
    "military_objective_present",
    "military_objective_distance_m",
    "credibility",
    "derived_from",
)


@transaction.atomic
def claim_create(*, user, incident: Incident, data: dict[str, Any], new_source: dict[str, Any] | None = None) -> Claim:
    """Add a claim, creating its source too when `new_source` is given, and update the incident's cross-check."""
    claim = Claim(incident=incident, created_by=user, last_edited_by=user)
    claim._history_user = user
    for name in CLAIM_FIELDS:
        if name in data:
            setattr(claim, name, data[name])
    if new_source is not None:
        claim.source = source_create(data=new_source, user=user)
    claim.full_clean()
    claim.save()
    incident_recompute(incident, user=user)
    workflow.record_change(incident=incident, by=user, change=workflow.Change.CLAIM_ADDED, source=claim.source.name)
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, user, data: dict[str, Any], expected_version: int) -> list[str]:
    """Apply an edit based on `expected_version`; raises ConflictError if someone saved in between."""
    changed = [name for name in CLAIM_FIELDS if name in data and getattr(claim, name) != data[name]]
    if not changed:
        return []  # nothing to write: no version bump, no history row, no false conflict for anyone
    for name in changed:
        setattr(claim, name, data[name])
    claim.last_edited_by = user
    claim.full_clean()
    claim._history_user = user
    claim._change_reason = "edited:" + ",".join(changed)
    claim.save_versioned(expected_version=expected_version)
    incident_recompute(claim.incident, user=user)
    workflow.record_change(
        incident=claim.incident, by=user, change=workflow.Change.CLAIM_EDITED, source=claim.source.name, fields=changed
    )
    return changed


@transaction.atomic
def claim_delete(*, claim: Claim, user) -> None:
    """Delete a claim (kept in the history). Claims derived from it become independent, so say so in theirs."""
    incident = claim.incident
    for derived in Claim.objects.filter(derived_from=claim):
        derived.derived_from = None
        derived._history_user = user
        derived._change_reason = f"source_claim_deleted:{claim.pk}"
        derived.save()
    claim._history_user = user
    claim.delete()
    incident_recompute(incident, user=user)
    workflow.record_change(incident=incident, by=user, change=workflow.Change.CLAIM_DELETED, source=claim.source.name)


@transaction.atomic
def source_create(*, data: dict[str, Any], user=None) -> Source:
    source = Source(**data)
    source._history_user = user
    source.full_clean()
    source.save()
    return source
