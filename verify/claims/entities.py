"""Writes to sources and actors as managed entities: editing, rating, aliases and parents.

One name, in its normalised form (verify.lib.names), belongs to at most one entity of a kind, whether as its name
or as an alias: `name_taken_by` is the one check, used by every write here. Merging lives in verify.claims.merging.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from verify.claims.models import Actor, ActorAlias, Source, SourceAlias
from verify.claims.tasks import queue_recompute
from verify.incidents.models import Incident
from verify.lib.names import normalise

SOURCE_FIELDS = ("name", "kind", "affiliation", "url", "notes")
RATING_FIELDS = ("reliability", "reliability_rationale")
ACTOR_FIELDS = ("name", "short_name", "kind", "party_to_conflict", "parent", "description")


def name_taken_by(model: type[Model], name: str, *, exclude_pk: int | None = None) -> Any:
    """The active entity other than `exclude_pk` that already has this name or alias, in its normalised form."""
    others = model._default_manager.matching(name)  # type: ignore[attr-defined]
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.first()


def _check_name_free(model: type[Model], name: str, *, field: str, exclude_pk: int | None) -> None:
    if not normalise(name):
        raise ValidationError({field: _("A name needs at least one letter or digit.")})
    other = name_taken_by(model, name, exclude_pk=exclude_pk)
    if other is not None:
        raise ValidationError(
            {field: _("“%(name)s” is already a name of %(other)s.") % {"name": name, "other": other.name}}
        )


def _alias_add(model: type[Model], alias_model: type[Model], entity, *, name: str):
    name = " ".join(name.split())
    _check_name_free(model, name, field="name", exclude_pk=None)
    alias = alias_model(name=name, **{str(model._meta.model_name): entity})
    alias.full_clean(exclude=["normalised"], validate_unique=False)
    alias.save()
    return alias


@transaction.atomic
def source_alias_add(*, source: Source, name: str) -> SourceAlias:
    """Give a source another name. Refused when it is already any source's name or alias, this one's included."""
    return _alias_add(Source, SourceAlias, source, name=name)


@transaction.atomic
def actor_alias_add(*, actor: Actor, name: str) -> ActorAlias:
    """Give an actor another name; the same rule as `source_alias_add`."""
    return _alias_add(Actor, ActorAlias, actor, name=name)


@transaction.atomic
def alias_remove(*, alias: SourceAlias | ActorAlias) -> None:
    alias.delete()


def _apply(instance, data: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    changed = [name for name in fields if name in data and getattr(instance, name) != data[name]]
    for name in changed:
        setattr(instance, name, data[name])
    return changed


@transaction.atomic
def source_update(*, source: Source, user, data: dict[str, Any], expected_version: int) -> list[str]:
    """Edit a source's description (not its rating: `source_rate`). Raises ConflictError on a stale version."""
    if "name" in data:
        data = {**data, "name": " ".join(str(data["name"]).split())}
        _check_name_free(Source, data["name"], field="name", exclude_pk=source.pk)
    changed = _apply(source, data, SOURCE_FIELDS)
    if not changed:
        return []
    source.full_clean(validate_unique=False, validate_constraints=False)
    source._history_user = user
    source._change_reason = "edited:" + ",".join(changed)
    source.save_versioned(expected_version=expected_version)
    _recompute_if(changed, {"affiliation"}, sources=[source])
    return changed


@transaction.atomic
def source_rate(*, source: Source, user, reliability: str, rationale: str, expected_version: int) -> Source:
    """Rate a source: the letter, why, who and when. Every rating is kept in the source's history."""
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"reliability_rationale": _("Say why the source deserves this rating.")})
    source.reliability, source.reliability_rationale = reliability, rationale
    source.rated_by, source.rated_at = user, timezone.now()
    source.full_clean(validate_unique=False, validate_constraints=False)
    source._history_user = user
    source._change_reason = "rated"
    source.save_versioned(expected_version=expected_version)
    _recompute_if(["reliability"], {"reliability"}, sources=[source])
    return source


@transaction.atomic
def actor_add(*, user, data: dict[str, Any]) -> Actor:
    """Add an actor from the actor form. Unlike the claim form's quick add, a name already known is an error."""
    data = {name: data[name] for name in ACTOR_FIELDS if name in data}
    data["name"] = " ".join(str(data.get("name", "")).split())
    _check_name_free(Actor, data["name"], field="name", exclude_pk=None)
    actor = Actor(**data)
    actor.full_clean(validate_constraints=False)
    actor._history_user = user
    actor.save()
    return actor


@transaction.atomic
def actor_update(*, actor: Actor, user, data: dict[str, Any], expected_version: int) -> list[str]:
    """Edit an actor. A parent that would make a loop is refused. Raises ConflictError on a stale version."""
    if "name" in data:
        data = {**data, "name": " ".join(str(data["name"]).split())}
        _check_name_free(Actor, data["name"], field="name", exclude_pk=actor.pk)
    changed = _apply(actor, data, ACTOR_FIELDS)
    if not changed:
        return []
    if "parent" in changed and actor.parent_id is not None:
        # Lock the chain being joined so two edits cannot make a loop between them.
        list(Actor.objects.select_for_update().filter(pk__in=[actor.pk, actor.parent_id]))
    actor.full_clean(validate_unique=False, validate_constraints=False)
    actor._history_user = user
    actor._change_reason = "edited:" + ",".join(changed)
    actor.save_versioned(expected_version=expected_version)
    _recompute_if(changed, {"parent", "party_to_conflict"}, actors=[actor])
    return changed


def _recompute_if(changed, relevant: set[str], *, sources=(), actors=()) -> None:
    """A source's rating or side, or an actor's place in a hierarchy, feeds the cross-check of the incidents that
    cite them: queue those incidents' recomputation once the change is committed."""
    if not relevant.intersection(changed):
        return
    references = affected_references(sources=sources, actors=actors)
    if references:
        transaction.on_commit(lambda: queue_recompute(references))


def affected_references(*, sources=(), actors=()) -> list[str]:
    """The incidents whose cross-check reads these sources or actors: their claims, or claims by sources that speak
    for these actors."""
    condition = Q(claims__source__in=list(sources)) | Q(claims__perpetrator__in=list(actors))
    condition |= Q(claims__source__affiliation__in=list(actors))
    incidents = Incident.objects.filter(condition).distinct().order_by("pk")
    return list(incidents.values_list("reference", flat=True))
