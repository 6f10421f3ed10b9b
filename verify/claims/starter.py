"""The shipped starter list: the main sources and actors of the Syrian conflict and their common other names.

Loading is safe to repeat and never overwrites a team's own judgement: an entity already known by any of the
list's names gets the names it lacks as aliases (and a parent if it has none); kinds, ratings and everything else
stay as the team set them. New sources start unrated (F), for a researcher to rate.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from verify.claims import entities
from verify.claims.models import Actor, Source

STARTER_FILE = Path(__file__).parent / "data" / "starter_entities.json"


@dataclass
class StarterResult:
    created: list[str] = field(default_factory=list)
    aliases_added: int = 0
    skipped: list[str] = field(default_factory=list)  # names already another entity's


def _find(model, names: list[str]):
    for name in names:
        found = model.objects.matching(name).first()
        if found is not None:
            return found
    return None


def _load_one(model, spec: dict, extra: dict, result: StarterResult):
    names = [spec["name"], *spec.get("aliases", [])]
    entity = _find(model, names)
    if entity is None:
        entity = model(name=spec["name"], kind=spec["kind"], **extra)
        entity.full_clean(validate_constraints=False)
        entity.save()
        result.created.append(entity.name)
    elif extra.get("parent") and entity.parent_id is None and entity.pk not in extra["parent"].lineage_ids():
        entity.parent = extra["parent"]
        entity.save(update_fields=["parent", "updated_at"])
    add = entities.actor_alias_add if model is Actor else entities.source_alias_add
    for name in names:
        if model.objects.matching(name).filter(pk=entity.pk).exists():
            continue
        try:
            with transaction.atomic():
                add(**{model._meta.model_name: entity, "name": name})
            result.aliases_added += 1
        except ValidationError:
            result.skipped.append(name)
    return entity


@transaction.atomic
def starter_entities_load(path: Path = STARTER_FILE) -> StarterResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    result = StarterResult()
    actors: dict[str, Actor] = {}
    for spec in data["actors"]:
        extra = {"party_to_conflict": spec.get("party_to_conflict", True)}
        if spec.get("parent"):
            extra["parent"] = actors[spec["parent"]]
        actors[spec["name"]] = _load_one(Actor, spec, extra, result)
    for spec in data["sources"]:
        extra = {"affiliation": actors[spec["affiliation"]]} if spec.get("affiliation") else {}
        _load_one(Source, spec, extra, result)
    return result
