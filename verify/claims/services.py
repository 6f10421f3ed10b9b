"""Writes to claims and sources."""

from typing import Any

from django.db import IntegrityError, transaction

from verify.claims.crosscheck import incident_recompute
from verify.claims.models import Actor, Claim, Source
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
        # A name first given in restricted work stays as restricted as that work (VocabularyQuerySet).
        claim.source = source_create(data={**new_source, "restricted_origin": incident.restricted}, user=user)
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


def source_create(*, data: dict[str, Any], user=None) -> Source:
    """Add a source, or return the one already named so (names are one source whatever their case and spacing).

    Safe when two people add the same name at once: the database's unique index decides, and the loser gets the
    winner's source. A name first given in restricted work (`restricted_origin`) is released once someone names it
    from open work: it is then a public fact."""
    data = dict(data)

    def build() -> Source:
        source = Source(**data)
        source._history_user = user
        return source

    return _get_or_create(Source, data, build)


def actor_create(*, data: dict[str, Any]) -> Actor:
    """Add an actor, or return the one already named so; the same rules as `source_create`."""
    data = dict(data)
    return _get_or_create(Actor, data, lambda: Actor(**data))


def _get_or_create(model, data: dict[str, Any], build):
    name = " ".join(str(data.get("name", "")).split())
    data["name"] = name
    existing = _existing(model, name)
    if existing is None:
        instance = build()
        try:
            with transaction.atomic():
                instance.full_clean(validate_unique=False, validate_constraints=False)
                instance.save()
            return instance
        except IntegrityError:
            existing = _existing(model, name)
            if existing is None:
                raise
    if existing.restricted_origin and not data.get("restricted_origin"):
        model.objects.filter(pk=existing.pk).update(restricted_origin=False)
        existing.restricted_origin = False
    return existing


def _existing(model, name: str):
    """The one known by this name or an alias of it, whatever the spelling; else one that differs by case only
    (the database's unique index on the lower-cased name)."""
    return model.objects.matching(name).first() or model.objects.filter(name__iexact=name).first()
