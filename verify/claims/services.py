"""Writes to claims and sources."""

from typing import Any

from django.db import transaction

from verify.claims.models import Claim, Source
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
def claim_create(*, user, incident: Incident, data: dict[str, Any]) -> Claim:
    claim = Claim(incident=incident, created_by=user, last_edited_by=user)
    claim._history_user = user
    for name in CLAIM_FIELDS:
        if name in data:
            setattr(claim, name, data[name])
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, user, data: dict[str, Any], expected_version: int) -> list[str]:
    """Apply an edit based on `expected_version`; raises ConflictError if someone saved in between."""
    changed = [name for name in CLAIM_FIELDS if name in data and getattr(claim, name) != data[name]]
    for name in changed:
        setattr(claim, name, data[name])
    if changed:
        claim.last_edited_by = user
    claim.full_clean()
    claim._history_user = user
    claim._change_reason = "Edited: " + ", ".join(changed) if changed else "Saved without changes"
    claim.save_versioned(expected_version=expected_version)
    return changed


@transaction.atomic
def source_create(*, data: dict[str, Any]) -> Source:
    source = Source(**data)
    source.full_clean()
    source.save()
    return source
