"""Source and actor names of a file, resolved to the entities the importing user may see.

A name matches through its normal form (verify.lib.names): an entity's name, one of its aliases, or an actor's short
name. Names that match nothing are counted, grouped by normal form, for the check report; the researcher then maps
each to an entity or accepts it as new (`ImportJob.resolutions`), and a mapping is remembered as an alias.
"""

from typing import Any

from django.utils.translation import gettext

from verify.claims.entities import actor_alias_add, name_taken_by, source_alias_add
from verify.claims.models import Actor, ActorAlias, Source, SourceAlias
from verify.imports.errors import ImportRejected
from verify.imports.rows import ParsedRow, RowError
from verify.lib.names import normalise


class NameIndex:
    """The visible, active entities of one kind by every normal form of their names."""

    def __init__(self, model: type[Source] | type[Actor], user) -> None:
        self.model = model
        entities = model.objects.visible_to(user).active()
        self.by_pk: dict[int, Any] = {e.pk: e for e in entities}
        self.forms: dict[str, Any] = {}
        for entity in self.by_pk.values():
            self.forms.setdefault(entity.normalised_name or normalise(entity.name), entity)
        alias_model, field = (SourceAlias, "source") if model is Source else (ActorAlias, "actor")
        aliases = alias_model.objects.filter(**{f"{field}_id__in": list(self.by_pk)})
        for form, pk in aliases.values_list("normalised", f"{field}_id"):
            self.forms.setdefault(form, self.by_pk[pk])
        if model is Actor:
            for entity in self.by_pk.values():
                if entity.short_name:
                    self.forms.setdefault(normalise(entity.short_name), entity)
        # Normal form -> [the file's first spelling, rows naming it], for the names that match nothing.
        self.unmatched: dict[str, list] = {}

    def get(self, name: str):
        return self.forms.get(normalise(name))

    def add(self, name: str, entity) -> None:
        self.forms[normalise(name)] = entity

    def note(self, name: str) -> None:
        """Count a row that names `name`, if the name matches nothing."""
        form = normalise(name)
        if form not in self.forms:
            self.unmatched.setdefault(form, [name, 0])[1] += 1

    def unmatched_report(self) -> list[dict]:
        """The unknown names, most rows first: [{"key": normal form, "name": first spelling, "rows": n}]."""
        rows = [{"key": form, "name": name, "rows": n} for form, (name, n) in self.unmatched.items()]
        return sorted(rows, key=lambda r: (-r["rows"], r["name"].casefold()))


def unusable_names(parsed: ParsedRow) -> list[RowError]:
    """A name with no letter or digit cannot name a source or an actor (nor match one)."""
    return [
        RowError(parsed.number, column, gettext("A name needs at least one letter or digit."), name)
        for column, name in (("source", parsed.source_name), ("perpetrator", parsed.perpetrator_name))
        if name and not normalise(name)
    ]


def apply_resolutions(run) -> None:
    """The researcher's decisions on the unknown names (`ImportJob.resolutions`), applied inside the import's
    transaction: each mapped name resolves to the chosen entity for this file, and is remembered as an alias of it
    (so the next file matches with no mapping) unless the import is restricted: a name from a restricted file is
    not made visible to everyone who can see the entity."""
    job = run.job
    for kind, index, alias_add in (
        ("sources", run.sources, lambda entity, name: source_alias_add(source=entity, name=name)),
        ("actors", run.actors, lambda entity, name: actor_alias_add(actor=entity, name=name)),
    ):
        names = {row["key"]: row["name"] for row in job.summary.get(f"unmatched_{kind}", [])}
        for key, pk in job.resolutions.get(kind, {}).items():
            entity = index.by_pk.get(pk)
            if entity is None or key not in names:
                raise ImportRejected(
                    gettext("“%(name)s” was mapped to a record you can no longer choose: check the file again.")
                    % {"name": names.get(key, key)}
                )
            index.forms[key] = entity
            if not run.restricted_origin and name_taken_by(index.model, names[key]) is None:
                alias_add(entity, names[key])
