"""The bulk cross-check recompute gives exactly what the per-incident one gives (issue 19, item 4).

A seeded generator makes a few thousand incidents whose claims vary in every fact the rules read (stance, source and
its side, perpetrator and its "part of" chain, figures, dates and their precision, coordinates or a place, derived
claims, credibility, military objective, munition); the bulk path must store the same flags, suggested grade and
reasons as incident_recompute, record the change in the history, and change nothing when run again.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from verify.claims.crosscheck import (
    CROSSCHECK_REASON,
    DERIVED_FIELDS,
    MAX_UPDATE_GROUPS,
    chunk_derived_values,
    crosscheck_recompute_all,
    crosscheck_recompute_bulk,
    derived_values,
    incident_crosscheck,
    incident_recompute,
)
from verify.claims.models import Actor, Claim, Source, Stance
from verify.core.choices import Credibility, DatePrecision, LocationPrecision, Reliability
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db

N_INCIDENTS = 2000


def _world(rng: random.Random):
    """Actors in chains of parents (one with a cycle), sources on every side, a few places."""
    actors = []
    for i in range(12):
        parent = actors[rng.randrange(len(actors))] if actors and rng.random() < 0.6 else None
        actors.append(Actor.objects.create(name=f"Actor {i}", parent=parent, party_to_conflict=rng.random() < 0.7))
    # a cycle of parents: the lineage must stop the same way on both paths
    a, b = Actor.objects.create(name="Cycle A"), Actor.objects.create(name="Cycle B")
    Actor.objects.filter(pk=a.pk).update(parent=b)
    Actor.objects.filter(pk=b.pk).update(parent=a)
    actors += [a, b]
    sources = [
        Source.objects.create(
            name=f"Source {i}",
            reliability=rng.choice(Reliability.values),
            affiliation=rng.choice(actors) if rng.random() < 0.4 else None,
        )
        for i in range(15)
    ]
    places = [
        factories.place(f"Place {i}", latitude=Decimal("35.8") + Decimal(i) / 10, longitude=Decimal("36.6"))
        for i in range(4)
    ]
    return actors, sources, places


def _figure(rng: random.Random):
    if rng.random() < 0.3:
        return None, None
    low = rng.choice([0, 1, 2, 5, 10, 40])
    return low, low + rng.choice([0, 0, 1, 3, 20])


def _generate(seed: int = 19, n: int = N_INCIDENTS) -> list[int]:
    rng = random.Random(seed)
    user = factories.user()
    actors, sources, places = _world(rng)
    incidents = Incident.objects.bulk_create(
        Incident(reference=f"GEN-{i:05d}", title=f"Generated {i}", created_by=user) for i in range(n)
    )
    claims = []
    base = date(2016, 3, 1)
    for incident in incidents:
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 6])):
            killed, injured = _figure(rng), _figure(rng)
            geocoded = rng.random()
            claims.append(
                Claim(
                    incident=incident,
                    source=rng.choice(sources),
                    stance=rng.choice(Stance.values),
                    published_on=base + timedelta(days=rng.randrange(5)) if rng.random() < 0.9 else None,
                    killed_min=killed[0],
                    killed_max=killed[1],
                    injured_min=injured[0],
                    injured_max=injured[1],
                    perpetrator=rng.choice(actors) if rng.random() < 0.7 else None,
                    munition=rng.choice(["", "", "barrel bomb", "cluster munition", "missile"]),
                    event_date=base + timedelta(days=rng.randrange(4)) if rng.random() < 0.85 else None,
                    event_date_precision=rng.choice(DatePrecision.values),
                    latitude=Decimal("35.81") + Decimal(rng.randrange(60)) / 1000 if geocoded < 0.5 else None,
                    longitude=Decimal("36.61") + Decimal(rng.randrange(60)) / 1000 if geocoded < 0.5 else None,
                    place=rng.choice(places) if 0.5 <= geocoded < 0.8 else None,
                    location_precision=rng.choice(LocationPrecision.values),
                    military_objective_present=rng.choice([None, None, True, False]),
                    credibility=rng.choice(Credibility.values),
                    created_by=user,
                )
            )
    claims = Claim.objects.bulk_create(claims)
    by_incident: dict[int, list[Claim]] = {}
    for c in claims:
        by_incident.setdefault(c.incident_id, []).append(c)
    derived = []
    for group in by_incident.values():
        for c in group[1:]:
            if rng.random() < 0.25:
                c.derived_from = rng.choice(group[: group.index(c)]) if rng.random() < 0.9 else rng.choice(claims)
                derived.append(c)
    Claim.objects.bulk_update(derived, ["derived_from"])
    return [i.pk for i in incidents]


def _stored(pks) -> dict[int, tuple]:
    rows = Incident.objects.filter(pk__in=pks).values_list("pk", *DERIVED_FIELDS)
    return {row[0]: row[1:] for row in rows}


def test_bulk_values_equal_the_per_incident_values_over_generated_incidents():
    pks = _generate()
    per_incident = {pk: derived_values(incident_crosscheck(Incident(pk=pk))) for pk in pks}
    bulk: dict[int, dict] = {}
    for start in range(0, len(pks), 500):
        bulk.update(chunk_derived_values(pks[start : start + 500]))
    assert bulk == per_incident
    # the generated data reaches the rules' interesting outcomes, so the equality means something
    assert {v["suggested_grade"] for v in per_incident.values()} >= {"unassessed", "weak", "fair", "contested"}
    assert sum(v["has_disagreements"] for v in per_incident.values()) > 100
    assert sum(v["denied_by_party"] for v in per_incident.values()) > 100


def test_bulk_recompute_stores_what_the_per_incident_recompute_stores():
    pks = _generate(seed=7, n=300)
    changed = crosscheck_recompute_bulk(pks, chunk=120)
    assert changed > 100
    bulk = _stored(pks)
    Incident.objects.filter(pk__in=pks).update(
        has_disagreements=False, denied_by_party=False, suggested_grade="unassessed", suggestion_reasons=[]
    )
    for pk in pks:
        incident_recompute(Incident.objects.get(pk=pk))
    assert _stored(pks) == bulk
    # a change is recorded in the history as a recomputation, and a second run changes nothing
    assert Incident.history.filter(history_change_reason=CROSSCHECK_REASON).count() == 2 * changed
    # the bulk path's history rows (copied in the database) are those simple_history writes for the reference path
    tracked = [f.attname for f in Incident.history.model.tracked_fields]
    sample = [pk for pk in pks if Incident.history.filter(id=pk, history_change_reason=CROSSCHECK_REASON).count() == 2]
    assert sample
    for pk in sample[:50]:
        bulk_row, reference_row = Incident.history.filter(id=pk, history_change_reason=CROSSCHECK_REASON).order_by(
            "history_id"
        )
        assert bulk_row.history_type == reference_row.history_type == "~"
        assert bulk_row.history_user_id == reference_row.history_user_id
        assert {n: getattr(bulk_row, n) for n in tracked if n not in DERIVED_FIELDS} == {
            n: getattr(reference_row, n) for n in tracked if n not in DERIVED_FIELDS
        }
        assert {n: getattr(bulk_row, n) for n in DERIVED_FIELDS} == {n: getattr(Incident.objects.get(pk=pk), n)
                                                                     for n in DERIVED_FIELDS}  # fmt: skip
    assert crosscheck_recompute_all(Incident.objects.filter(pk__in=pks)) == 0


def test_bulk_recompute_costs_a_few_queries_per_chunk_not_per_incident():
    pks = _generate(seed=3, n=600)
    with CaptureQueriesContext(connection) as ctx:
        crosscheck_recompute_bulk(pks, chunk=300)
    # per chunk: lock, claims, a few generations of parents, an UPDATE per distinct set of values (at most
    # MAX_UPDATE_GROUPS, else one bulk_update), the history insert, savepoints
    assert len(ctx.captured_queries) < 2 * (12 + MAX_UPDATE_GROUPS) < len(pks)


def test_bulk_recompute_of_an_incident_without_claims_clears_its_flags():
    user = factories.user()
    incident = factories.claimed_incident(created_by=user)
    Incident.objects.filter(pk=incident.pk).update(has_disagreements=True, suggested_grade="fair")
    Claim.objects.filter(incident=incident).delete()
    assert crosscheck_recompute_bulk([incident.pk]) == 1
    fresh = Incident.objects.get(pk=incident.pk)
    assert (fresh.has_disagreements, fresh.suggested_grade) == (False, "unassessed")
    assert fresh.suggestion_reasons == derived_values(incident_crosscheck(fresh))["suggestion_reasons"]
