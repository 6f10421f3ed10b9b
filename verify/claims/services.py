"""Writes to claims and sources."""

from typing import Any

from django.db import transaction

from verify.claims.crosscheck import incident_recompute
from verify.claims.models import Claim, Source
from verify.incidents.models import Incident
from verify.review.services import incident_claims_changed

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
    incident_claims_changed(incident=incident, user=user, what=f"Claim from {claim.source} added")
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
    incident_recompute(claim.incident, user=user)
    if changed:
        what = f"Claim from {claim.source} edited ({', '.join(changed)})"
        incident_claims_changed(incident=claim.incident, user=user, what=what)
    return changed


@transaction.atomic
def claim_delete(*, claim: Claim, user) -> None:
    """Delete a claim (kept in the history). Claims derived from it become independent, so say so in theirs."""
    incident = claim.incident
    for derived in Claim.objects.filter(derived_from=claim):
        derived.derived_from = None
        derived._history_user = user
        derived._change_reason = f"The claim it was derived from (#{claim.pk}) was deleted"
        derived.save()
    claim._history_user = user
    claim.delete()
    incident_recompute(incident, user=user)
    incident_claims_changed(incident=incident, user=user, what=f"Claim from {claim.source} deleted")


@transaction.atomic
def source_create(*, data: dict[str, Any], user=None) -> Source:
    source = Source(**data)
    source._history_user = user
    source.full_clean()
    source.save()
    return source
