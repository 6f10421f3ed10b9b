"""Merging two sources or two actors that are one: everything that names the merged one moves to the kept one.

A merge needs a reason. Every claim and reference moves (claims' source or perpetrator, sources' affiliation,
actors' children, aliases, entities merged into the merged one before); each moved row gets a history row whose
reason is `source_merged:<pk>` or `actor_merged:<pk>`; the merged entity keeps its history and its row, marked
`merged_into` the kept one, whose history says `merged_from:<pk>`. The merged names become aliases of the kept
one. The cross-check of every affected incident is recomputed in the same transaction (queued by reference once
the merge commits when there are more than MAX_INLINE), and each affected incident goes through the workflow's
change rule: a verified one goes back to review, since who said what has changed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from verify.claims.crosscheck import incident_recompute
from verify.claims.entities import affected_references
from verify.claims.models import Actor, ActorAlias, Claim, Source, SourceAlias
from verify.claims.tasks import queue_recompute
from verify.incidents import workflow
from verify.incidents.models import Incident
from verify.lib.names import normalise

MAX_INLINE = 200


def _check(entity, into, reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these are one.")})
    if entity.pk == into.pk:
        raise ValidationError({"into": _("%(name)s cannot be merged into itself.") % {"name": entity.name}})
    if entity.merged_into_id or into.merged_into_id:
        raise ValidationError({"into": _("One of these has already been merged into another.")})
    return reason


def _save(instance, *, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason
    instance.save()


def _keep_names(entity, into, alias_model, field: str) -> None:
    """The merged one's aliases move; its own name becomes one, unless the kept one already answers to it.

    Names first given in restricted work stay with the merged record (hidden as before) when the kept one is
    public: as aliases of a public entity they would be shown to everyone."""
    if entity.restricted_origin and not into.restricted_origin:
        return
    alias_model.objects.filter(**{field: entity}).update(**{field: into})
    answers = type(into).objects.filter(pk=into.pk).matching(entity.name).exists()
    if not answers and not alias_model.objects.filter(normalised=normalise(entity.name)).exists():
        alias_model.objects.create(name=entity.name, **{field: into})


def _finish(entity, into, *, user, reason: str) -> None:
    type(entity).objects.filter(merged_into=entity).update(merged_into=into)
    entity.merged_into, entity.merge_note = into, reason
    entity.version += 1
    _save(entity, user=user, reason=f"merged_into:{into.pk}")
    into.version += 1
    _save(into, user=user, reason=f"merged_from:{entity.pk}")


def _follow_up(references: list[str], *, user, change: str, merged: str, kept: str) -> None:
    incidents = list(Incident.objects.filter(reference__in=references).order_by("pk"))
    if len(incidents) > MAX_INLINE:
        transaction.on_commit(lambda: queue_recompute(references))
    else:
        for incident in incidents:
            incident_recompute(incident, user=user)
    for incident in incidents:
        workflow.record_change(incident=incident, by=user, change=change, merged=merged, kept=kept)


@transaction.atomic
def source_merge(*, source: Source, into: Source, user, reason: str) -> Source:
    """Merge `source` into `into` and return the kept source. Raises ValidationError, changing nothing."""
    source, into = (Source.objects.select_for_update().get(pk=s.pk) for s in (source, into))
    reason = _check(source, into, reason)
    references = affected_references(sources=[source])
    for claim in Claim.objects.select_for_update().filter(source=source).order_by("pk"):
        claim.source, claim.version = into, claim.version + 1
        _save(claim, user=user, reason=f"source_merged:{source.pk}")
    _keep_names(source, into, SourceAlias, "source")
    _finish(source, into, user=user, reason=reason)
    _follow_up(references, user=user, change=workflow.Change.SOURCE_MERGED, merged=source.name, kept=into.name)
    return into


@transaction.atomic
def actor_merge(*, actor: Actor, into: Actor, user, reason: str) -> Actor:
    """Merge `actor` into `into`: its claims, sources and branches move to `into`. Refused when `into` is `actor`
    itself or one of its branches (the hierarchy would loop). Raises ValidationError, changing nothing."""
    actor, into = (Actor.objects.select_for_update().get(pk=a.pk) for a in (actor, into))
    reason = _check(actor, into, reason)
    if into.pk in actor.descendant_ids():
        raise ValidationError(
            {"into": _("%(into)s is part of %(actor)s: merge the other way round.") % {"into": into, "actor": actor}}
        )
    references = affected_references(actors=[actor])
    code = f"actor_merged:{actor.pk}"
    for claim in Claim.objects.select_for_update().filter(perpetrator=actor).order_by("pk"):
        claim.perpetrator, claim.version = into, claim.version + 1
        _save(claim, user=user, reason=code)
    for source in Source.objects.select_for_update().filter(affiliation=actor).order_by("pk"):
        source.affiliation, source.version = into, source.version + 1
        _save(source, user=user, reason=code)
    for child in Actor.objects.select_for_update().filter(parent=actor).order_by("pk"):
        child.parent, child.version = into, child.version + 1
        _save(child, user=user, reason=code)
    _keep_names(actor, into, ActorAlias, "actor")
    _finish(actor, into, user=user, reason=reason)
    _follow_up(references, user=user, change=workflow.Change.ACTOR_MERGED, merged=actor.name, kept=into.name)
    return into
