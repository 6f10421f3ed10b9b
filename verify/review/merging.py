"""Merging a duplicate incident into the one that is kept."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from verify.incidents import workflow
from verify.incidents.duplicates import duplicates_refresh
from verify.incidents.models import Incident


@dataclass(frozen=True)
class MergeResult:
    target: Incident
    claims_moved: int
    evidence_moved: int
    evidence_already_linked: int


def merge_problems(*, source: Incident, target: Incident) -> list[str]:
    """Why these two cannot be merged, in words; empty when they can."""
    problems = []
    if source.pk == target.pk:
        problems.append(_("An incident cannot be merged into itself."))
    if source.merged_into_id or target.merged_into_id:
        problems.append(_("One of these incidents has already been merged into another."))
    if source.restricted:
        source_groups = set(source.allowed_groups.values_list("pk", flat=True))
        target_groups = set(target.allowed_groups.values_list("pk", flat=True))
        if not target.restricted or not target_groups <= source_groups:
            problems.append(
                _(
                    "%(reference)s is restricted: merge it only into an incident restricted to the same groups "
                    "(or fewer), or its claims and evidence would be shown to people who may not see them."
                )
                % {"reference": source.reference}
            )
    return problems


def incident_merge(*, source: Incident, target: Incident, user, note: str = "") -> MergeResult:
    """Move every claim and evidence link of `source` to `target`, and leave `source` pointing to `target`.

    Both rows are locked for the duration; both histories record the merge, as do the moved claims' histories
    and the evidence items' custody logs. The old reference then leads to `target` (see get_incident_for_user).
    """
    from verify.claims.crosscheck import incident_recompute
    from verify.claims.models import Claim
    from verify.evidence.services import evidence_links_move

    with transaction.atomic():
        both = Incident.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")
        locked = {i.pk: i for i in both}  # locked in key order, so two opposite merges cannot deadlock
        source, target = locked[source.pk], locked[target.pk]
        problems = merge_problems(source=source, target=target)
        note = note.strip()
        if not note:
            problems.append(_("Say why these are the same incident: the reason is kept in both histories."))
        if problems:
            raise ValidationError(problems)

        claims = list(Claim.objects.select_for_update().filter(incident=source).order_by("pk"))
        for claim in claims:
            claim.incident = target
            claim._history_user = user
            claim._change_reason = f"moved:{source.reference}>{target.reference}"
            claim.save_versioned(expected_version=claim.version)

        moved, already = evidence_links_move(source=source, target=target, user=user)

        source.merged_into = target
        source._history_user = user
        source.merge_note = note
        source._change_reason = f"merged_into:{target.reference}"
        source.full_clean()
        source.save_versioned(expected_version=source.version)

        target.last_edited_by = user
        target._history_user = user
        target._change_reason = f"merged_from:{source.reference}"
        target.save_versioned(expected_version=target.version)
        if claims or moved:
            # New claims or evidence change what a verified record rests on.
            workflow.record_change(
                incident=target, by=user, change=workflow.Change.MERGED, bumped=True, merged=source.reference
            )

        incident_recompute(target, user=user)
        incident_recompute(source, user=user)
        duplicates_refresh([source.pk, target.pk])  # the merged-away incident is left with no pairs
    return MergeResult(target=target, claims_moved=len(claims), evidence_moved=moved, evidence_already_linked=already)
