"""Cross-checking an incident's claims: the matrix, its summary, the flags and the suggested grade.

The logic lives in verify.lib.crosscheck and verify.lib.grading; this module turns Claim rows into their
terms and keeps the incident's stored flags (has_disagreements, denied_by_party, suggested_grade and
suggestion_reasons) in step with its claims.

Identities are resolved here, so the rules stay pure: a source is its primary key (claims move to the
surviving source when two are merged), and a perpetrator is its "part of" chain of actor keys, nearest first.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from verify.claims.models import Actor, Claim
from verify.claims.reasons import disagreement_text, summary_text
from verify.core.choices import DatePrecision, LocationPrecision
from verify.incidents.models import Incident
from verify.lib import stances
from verify.lib.crosscheck import ClaimFacts, Disagreement, Range, find_disagreements, perpetrator_label, summary
from verify.lib.grading import Suggestion, suggest_grade
from verify.lib.trees import MAX_LINEAGE, lineage

# Stances by which a party to the conflict denies what it is accused of.
PARTY_DENIAL_STANCES = stances.PARTY_DENIAL
MATRIX_RELATED = ("source", "source__affiliation", "perpetrator", "place", "derived_from__source")


def actor_parents(actors: Iterable[Actor]) -> dict[int, int | None]:
    """Each actor's parent's pk, with every ancestor's too: one query per generation above the given actors.

    Reads `parent_id` defensively, so it works whether or not Actor has a parent yet. A cycle of parents
    stops the loading (an ancestor already loaded is not fetched again), and so does the depth limit.
    """
    parents: dict[int, int | None] = {a.pk: getattr(a, "parent_id", None) for a in actors}
    for _ in range(MAX_LINEAGE):
        missing = {p for p in parents.values() if p is not None and p not in parents}
        if not missing:
            break
        parents.update(Actor.objects.filter(pk__in=missing).values_list("pk", "parent_id"))
    return parents


def claim_facts(claim: Claim, parents: Mapping[int, int | None] | None = None) -> ClaimFacts:
    """What one claim says, in the plain terms of verify.lib.crosscheck. Expects MATRIX_RELATED loaded.

    parents maps actor pks to their parents' (see actor_parents); without it, the perpetrator's are loaded.
    """
    lat, lon = claim.latitude, claim.longitude
    if lat is None and claim.place_id:
        lat, lon = claim.place.latitude, claim.place.longitude
    tolerance = DatePrecision(claim.event_date_precision).tolerance
    source = claim.source
    return ClaimFacts(
        id=claim.pk,
        source_name=source.name,
        source_is_belligerent=source.is_belligerent,
        stance=claim.stance,
        independent=claim.derived_from_id is None,
        killed=Range(claim.killed_min, claim.killed_max),
        injured=Range(claim.injured_min, claim.injured_max),
        perpetrator=claim.perpetrator.name if claim.perpetrator_id else None,
        perpetrator_lineage=_lineage(claim, parents),
        munition=claim.munition or None,
        event_date=claim.event_date,
        date_tolerance_days=tolerance.days if tolerance is not None and claim.event_date else None,
        lat=float(lat) if lat is not None else None,
        lon=float(lon) if lon is not None else None,
        radius_m=LocationPrecision(claim.location_precision).radius_m if lat is not None else None,
        military_objective_present=claim.military_objective_present,
        credibility=int(claim.credibility),
        source_reliability=source.reliability,
        source_side=source.affiliation.name if source.affiliation_id else None,
        source_key=str(source.pk),
        source_side_key=str(source.affiliation_id) if source.affiliation_id else None,
    )


def _lineage(claim: Claim, parents: Mapping[int, int | None] | None) -> tuple[str, ...]:
    actor = claim.perpetrator if claim.perpetrator_id else None
    if actor is None:
        return ()
    if parents is None:
        parents = actor_parents([actor])
    return tuple(str(pk) for pk in lineage(actor.pk, parents))


@dataclass
class CrossCheck:
    claims: list[Claim]
    disagreements: list[Disagreement]
    summary: str
    suggestion: Suggestion
    # Who the claims hold responsible when they agree ("Armed Forces of Russia (Russian Aerospace Forces)").
    perpetrator: str | None = None
    # claim id -> matrix columns to highlight, each with the indexes (in disagreements) of the reasons why
    flagged: dict[int, dict[str, list[int]]] = field(default_factory=dict)

    @property
    def denied_by_party(self) -> bool:
        return any(c.stance in PARTY_DENIAL_STANCES and c.source.is_belligerent for c in self.claims)


def crosscheck(claims: Iterable[Claim], parents: Mapping[int, int | None] | None = None) -> CrossCheck:
    """The cross-check of one incident's claims. parents (see actor_parents) may be given when it was loaded for
    many incidents at once; it must hold the perpetrators' lineage, else it is loaded here."""
    claims = list(claims)
    if parents is None:
        parents = actor_parents(c.perpetrator for c in claims if c.perpetrator is not None)
    facts = [claim_facts(c, parents) for c in claims]
    # The messages are put into the reader's language here, when the cross-check is shown.
    found = [
        replace(d, message=disagreement_text(d))
        for d in find_disagreements(facts, place_margin_m=settings.CROSSCHECK_PLACE_MARGIN_M)
    ]
    flagged: dict[int, dict[str, list[int]]] = {}
    for index, d in enumerate(found):
        for claim_id in d.claim_ids:
            flagged.setdefault(claim_id, {}).setdefault(d.column, []).append(index)
    return CrossCheck(
        claims=claims,
        disagreements=found,
        summary=summary_text(summary(facts)),
        suggestion=suggest_grade(facts),
        perpetrator=perpetrator_label(f for f in facts if f.independent),
        flagged=flagged,
    )


def incident_claims(incident: Incident):
    return Claim.objects.filter(incident=incident).select_related(*MATRIX_RELATED).order_by("published_on", "pk")


def incident_crosscheck(incident: Incident) -> CrossCheck:
    return crosscheck(incident_claims(incident))


# The history reason of a recomputation: derived values, left out of the activity feed.
CROSSCHECK_REASON = "crosscheck"


DERIVED_FIELDS = ("has_disagreements", "denied_by_party", "suggested_grade", "suggestion_reasons")


def derived_values(check: CrossCheck) -> dict:
    """The incident's stored values derived from its cross-check: the one place both recompute paths take them."""
    return {
        "has_disagreements": bool(check.disagreements),
        "denied_by_party": check.denied_by_party,
        "suggested_grade": check.suggestion.grade,
        "suggestion_reasons": [reason.as_dict() for reason in check.suggestion.reasons],
    }


@transaction.atomic
def incident_recompute(incident: Incident, *, user=None) -> bool:
    """Bring the incident's stored flags and suggested grade up to date with its claims.

    Call it inside the transaction that changed the claims. The row is locked and re-read, so a concurrent
    edit of the incident is neither overwritten nor made to conflict (the version is not bumped: these are
    derived values). Returns whether anything changed; a change is recorded in the incident's history.
    """
    fresh = Incident.objects.select_for_update().get(pk=incident.pk)
    values = derived_values(incident_crosscheck(fresh))
    changed = [name for name, value in values.items() if getattr(fresh, name) != value]
    for name, value in values.items():
        setattr(incident, name, value)
    if not changed:
        return False
    for name in changed:
        setattr(fresh, name, values[name])
    fresh._history_user = user
    fresh._change_reason = CROSSCHECK_REASON
    fresh.save(update_fields=[*changed, "updated_at"])
    return True


# Incidents recomputed per transaction by the bulk path: their rows are locked together, their claims loaded in
# one query, and the changed ones written in one UPDATE and one history INSERT.
BULK_CHUNK = 500
# Beyond this many distinct sets of values in a chunk, one bulk_update (a CASE per row) replaces an UPDATE per set.
MAX_UPDATE_GROUPS = 40


# What the rules read of a claim's relations (the matrix also shows the source a derived claim copies), and the
# only columns the bulk path loads: no texts, no timestamps (loading them was a third of its time).
RULES_RELATED = ("source", "source__affiliation", "perpetrator", "place")
RULES_FIELDS = (
    *("incident", "source", "perpetrator", "place", "source__affiliation", "perpetrator__parent"),
    *("published_on", "stance", "derived_from", "munition", "credibility"),
    *("killed_min", "killed_max", "injured_min", "injured_max", "military_objective_present"),
    *("event_date", "event_date_precision", "latitude", "longitude", "location_precision"),
    *("source__name", "source__reliability", "source__affiliation__name", "source__affiliation__party_to_conflict"),
    *("perpetrator__name", "place__latitude", "place__longitude"),
)


def claims_derived_values(claims: list[Claim], parents: Mapping[int, int | None]) -> dict:
    """derived_values(crosscheck(claims, parents)) without what only the page shows: the disagreements' and the
    summary's sentences, the perpetrator's label. The bulk path's rules; equal to the reference path's values
    (tests/perf/test_bulk_crosscheck.py)."""
    facts = [claim_facts(c, parents) for c in claims]
    suggestion = suggest_grade(facts)
    return {
        "has_disagreements": bool(find_disagreements(facts, place_margin_m=settings.CROSSCHECK_PLACE_MARGIN_M)),
        "denied_by_party": any(c.stance in PARTY_DENIAL_STANCES and c.source.is_belligerent for c in claims),
        "suggested_grade": suggestion.grade,
        "suggestion_reasons": [reason.as_dict() for reason in suggestion.reasons],
    }


def chunk_derived_values(incident_ids: list[int]) -> dict[int, dict]:
    """The derived values of these incidents, computed from their claims loaded in bulk (a query for the claims
    and one per generation of perpetrators' parents), by the same rules as incident_recompute."""
    by_incident: dict[int, list[Claim]] = {pk: [] for pk in incident_ids}
    claims = Claim.objects.filter(incident_id__in=incident_ids).select_related(*RULES_RELATED).only(*RULES_FIELDS)
    for claim in claims.order_by("incident_id", "published_on", "pk"):
        by_incident[claim.incident_id].append(claim)
    parents = actor_parents(
        {c.perpetrator_id: c.perpetrator for cs in by_incident.values() for c in cs if c.perpetrator_id}.values()
    )
    return {pk: claims_derived_values(cs, parents) for pk, cs in by_incident.items()}


def _history_copy(pks: list[int], *, user, when) -> None:
    """One history row per incident, copied from its row as it now stands by one INSERT ... SELECT in the database:
    what simple_history's bulk_history_create writes (every tracked field, the date, the user, the reason, "~"),
    without building a model instance per row."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Incident.history.model
    tracked = [f.attname for f in history.tracked_fields]
    source_columns = [Incident._meta.get_field(f.name).column for f in history.tracked_fields]
    target_columns = [history._meta.get_field(name).column for name in tracked]
    extra = ["history_date", "history_user_id", "history_change_reason", "history_type"]
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(pks))
    columns = ", ".join(quote(c) for c in [*target_columns, *extra])
    # Table and column names from the models, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {', '.join(quote(c) for c in source_columns)}, %s, %s, %s, %s "
        f"FROM {quote(Incident._meta.db_table)} WHERE {quote(Incident._meta.pk.column)} IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, user.pk if user is not None else None, CROSSCHECK_REASON, "~", *pks])


@transaction.atomic
def _recompute_chunk(incident_ids: list[int], user=None) -> int:
    # Only the derived values are read: the history copies the rows in the database.
    fresh = list(
        Incident.objects.select_for_update().filter(pk__in=incident_ids).only("pk", *DERIVED_FIELDS).order_by("pk")
    )
    values = chunk_derived_values([i.pk for i in fresh])
    now = timezone.now()
    changed: list[Incident] = []
    for incident in fresh:
        new = values[incident.pk]
        if all(getattr(incident, name) == value for name, value in new.items()):
            continue
        for name, value in new.items():
            setattr(incident, name, value)
        incident.updated_at = now
        changed.append(incident)
    if changed:
        # One UPDATE per distinct set of values (a chunk has few: the same flags and reasons recur), far cheaper
        # than bulk_update's CASE per row and field.
        groups: dict[str, list[int]] = {}
        for incident in changed:
            key = json.dumps([getattr(incident, name) for name in DERIVED_FIELDS], sort_keys=True)
            groups.setdefault(key, []).append(incident.pk)
        if len(groups) > MAX_UPDATE_GROUPS:
            Incident.objects.bulk_update(changed, [*DERIVED_FIELDS, "updated_at"])
        else:
            by_pk = {incident.pk: incident for incident in changed}
            for pks in groups.values():
                update = {name: getattr(by_pk[pks[0]], name) for name in DERIVED_FIELDS}
                Incident.objects.filter(pk__in=pks).update(**update, updated_at=now)
        _history_copy([incident.pk for incident in changed], user=user, when=now)
    return len(changed)


def crosscheck_recompute_bulk(incident_ids: Iterable[int], *, user=None, chunk: int = BULK_CHUNK) -> int:
    """Recompute these incidents (by pk) in chunks, each in its own transaction. Returns how many changed.

    Gives exactly what incident_recompute gives one by one (tests/perf/test_bulk_crosscheck.py), at a few
    queries per chunk rather than per incident."""
    total, batch = 0, []
    for pk in incident_ids:
        batch.append(pk)
        if len(batch) >= chunk:
            total += _recompute_chunk(batch, user)
            batch = []
    if batch:
        total += _recompute_chunk(batch, user)
    return total


def crosscheck_recompute_all(incidents: Iterable[Incident] | None = None) -> int:
    """Recompute every incident (merged-away ones included), in bulk. Returns how many changed."""
    if incidents is None:
        return crosscheck_recompute_bulk(Incident.objects.order_by("pk").values_list("pk", flat=True).iterator(2000))
    if isinstance(incidents, models.QuerySet):
        return crosscheck_recompute_bulk(incidents.values_list("pk", flat=True).iterator(2000))
    return crosscheck_recompute_bulk(incident.pk for incident in incidents)
