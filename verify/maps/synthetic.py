"""Synthetic incidents for benchmarks: realistic in shape, never in substance.

Incidents cluster around real Syrian towns from the gazetteer (busier towns get more), spread by their location
precision, spread over 2012–2020 with the war's peaks, and carry about three claims each from a pool of synthetic
sources, some of them belligerents' denials. Rows are written with bulk_create in batches; the change history is
not written for them (they are not anyone's work).
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction

from verify.accounts import roles
from verify.claims.models import Actor, Claim, Source, Stance
from verify.core.choices import Credibility, DatePrecision, LocationPrecision, Reliability
from verify.gazetteer.models import Place
from verify.incidents.models import AttackType, Grade, Incident, Status, TargetType

REFERENCE_PREFIX = "BEN"  # never the real prefix: synthetic references cannot collide with real ones
BENCH_USERNAME = "bench"
METRES_PER_DEGREE = 111_320

YEAR_WEIGHTS = {2012: 8, 2013: 14, 2014: 16, 2015: 20, 2016: 20, 2017: 12, 2018: 7, 2019: 3}
PRECISION_WEIGHTS = {
    LocationPrecision.EXACT: 8,
    LocationPrecision.WITHIN_100M: 15,
    LocationPrecision.NEIGHBOURHOOD: 30,
    LocationPrecision.TOWN: 32,
    LocationPrecision.DISTRICT: 10,
    LocationPrecision.GOVERNORATE: 5,
}
ATTACK_WEIGHTS = {
    AttackType.AIRSTRIKE: 40,
    AttackType.SHELLING: 20,
    AttackType.BARREL_BOMB: 15,
    AttackType.MISSILE: 8,
    AttackType.CLUSTER_MUNITION: 6,
    AttackType.GROUND_ATTACK: 6,
    AttackType.CHEMICAL: 1,
    AttackType.OTHER: 4,
}
TARGET_WEIGHTS = {
    TargetType.RESIDENTIAL: 45,
    TargetType.MARKET: 15,
    TargetType.MEDICAL: 7,
    TargetType.SCHOOL: 6,
    TargetType.RELIGIOUS: 4,
    TargetType.INFRASTRUCTURE: 10,
    TargetType.MILITARY: 3,
    TargetType.UNKNOWN: 10,
}
STATUS_WEIGHTS = {
    Status.VERIFIED: 45,
    Status.SUBMITTED: 15,
    Status.IN_REVIEW: 5,
    Status.DRAFT: 25,
    Status.CHANGES_REQUESTED: 10,
}
GRADE_WEIGHTS = {Grade.CONFIRMED: 8, Grade.FAIR: 35, Grade.WEAK: 35, Grade.CONTESTED: 12, Grade.DISCOUNTED: 10}
ACTORS = (
    ("Syrian government forces", Actor.Kind.STATE_ARMED_FORCE),
    ("Russian Aerospace Forces", Actor.Kind.STATE_ARMED_FORCE),
    ("US-led coalition", Actor.Kind.COALITION),
    ("Armed opposition groups", Actor.Kind.ARMED_GROUP),
    ("Islamic State", Actor.Kind.ARMED_GROUP),
)
DATE_PRECISION_WEIGHTS = {DatePrecision.DAY: 7, DatePrecision.APPROXIMATE_DAY: 2, DatePrecision.WEEK: 1}
CLAIMS_PER_INCIDENT = {1: 10, 2: 20, 3: 40, 4: 20, 5: 10}  # three on average


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class SeedResult:
    incidents: int = 0
    claims: int = 0


def _actors() -> list[Actor]:
    return [Actor.objects.get_or_create(name=name, defaults={"kind": kind})[0] for name, kind in ACTORS]


def _sources(actors: list[Actor]) -> tuple[list[Source], list[Source]]:
    """Independent sources, and sources speaking for a party to the conflict (who deny)."""
    kinds = [Source.Kind.LOCAL_ACTIVISTS, Source.Kind.MONITOR, Source.Kind.NGO, Source.Kind.NEWS_AGENCY]
    independent = [
        Source.objects.get_or_create(
            name=f"Synthetic {kinds[i % len(kinds)].label.lower()} {i + 1}",
            defaults={"kind": kinds[i % len(kinds)], "reliability": "ABCDF"[i % 5]},
        )[0]
        for i in range(36)
    ]
    belligerent = [
        Source.objects.get_or_create(
            name=f"Synthetic spokesperson for {actor.name}",
            defaults={"kind": Source.Kind.MILITARY, "affiliation": actor, "reliability": Reliability.D},
        )[0]
        for actor in actors
    ]
    return independent, belligerent


def _bench_user() -> User:
    user, created = User.objects.get_or_create(username=BENCH_USERNAME, defaults={"first_name": "Bench"})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=roles.RESEARCHER))
    return user


def _next_number() -> int:
    last = Incident.objects.filter(reference__startswith=f"{REFERENCE_PREFIX}-").order_by("-pk").first()
    return int(last.reference.rsplit("-", 1)[1]) + 1 if last else 1


def _date(rng: random.Random) -> date:
    year = _pick(rng, YEAR_WEIGHTS)
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _jitter(rng: random.Random, place: Place, precision: str) -> tuple[Decimal, Decimal]:
    spread = min(LocationPrecision(precision).radius_m, 8_000) / METRES_PER_DEGREE
    lat = float(place.latitude) + rng.gauss(0, spread / 2)
    lng = float(place.longitude) + rng.gauss(0, spread / 2 / max(math.cos(math.radians(lat)), 0.1))
    return Decimal(f"{max(-90.0, min(90.0, lat)):.6f}"), Decimal(f"{max(-180.0, min(180.0, lng)):.6f}")


def seed_bench(
    n: int,
    *,
    seed: int = 2015,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    first_number: int | None = None,
) -> SeedResult:
    """Add `n` incidents. `first_number` numbers their references from there instead of after the last one, so that
    several processes can seed one database side by side (each its own range, and its own seed)."""
    rng = random.Random(seed)
    places = list(Place.objects.filter(kind=Place.Kind.CITY).select_related("governorate"))
    if not places:
        raise ValueError("The gazetteer is empty: run load_gazetteer first.")
    # Busier towns report more: weight by the square root of the population.
    weights = [math.sqrt(p.population or 1000) for p in places]
    actors = _actors()
    independent, belligerent = _sources(actors)
    user = _bench_user()
    number = _next_number() if first_number is None else first_number
    result = SeedResult()
    while result.incidents < n:
        size = min(batch_size, n - result.incidents)
        with transaction.atomic():
            incidents, plans = [], []
            for place in rng.choices(places, weights=weights, k=size):
                incident, plan = _incident(rng, place, number, user, actors, independent, belligerent)
                incidents.append(incident)
                plans.append(plan)
                number += 1
            for incident in incidents:
                incident.refresh_search_text()  # bulk_create does not call save()
            Incident.objects.bulk_create(incidents, batch_size=batch_size)
            claims = [
                Claim(incident=incident, created_by=user, **fields)
                for incident, plan in zip(incidents, plans, strict=True)
                for fields in plan
            ]
            Claim.objects.bulk_create(claims, batch_size=batch_size)
        result.incidents += size
        result.claims += len(claims)
        if progress:
            progress(result.incidents)
    return result


def _incident(rng, place, number, user, actors, independent, belligerent) -> tuple[Incident, list[dict]]:
    day = _date(rng)
    precision = _pick(rng, PRECISION_WEIGHTS)
    latitude, longitude = _jitter(rng, place, precision)
    attack, target = _pick(rng, ATTACK_WEIGHTS), _pick(rng, TARGET_WEIGHTS)
    status = _pick(rng, STATUS_WEIGHTS)
    perpetrator = rng.choices(actors, weights=[45, 30, 10, 10, 5])[0]
    plan = _claims(rng, day, perpetrator, actors, independent, belligerent)
    denied = any(c["stance"] == Stance.DENIES for c in plan)
    named = {c["perpetrator"].pk for c in plan if c.get("perpetrator")}
    killed = [(c["killed_min"], c["killed_max"]) for c in plan if c.get("killed_min") is not None]
    disjoint = bool(killed) and max(k[0] for k in killed) > min(k[1] for k in killed)
    incident = Incident(
        reference=f"{REFERENCE_PREFIX}-{day.year}-{number:06d}",
        title=f"{AttackType(attack).label} on {TargetType(target).label.lower()} area in {place.name}",
        summary=f"Synthetic record for benchmarks: {AttackType(attack).label.lower()} reported near {place.name}.",
        date_start=day,
        date_end=day + timedelta(days=rng.choice([0, 0, 0, 0, 1, 2])),
        date_precision=_pick(rng, DATE_PRECISION_WEIGHTS),
        place=place,
        location_name=place.name if precision == LocationPrecision.TOWN else "",
        latitude=latitude,
        longitude=longitude,
        location_precision=precision,
        attack_type=attack,
        target_type=target,
        status=status,
        grade=_pick(rng, GRADE_WEIGHTS) if status == Status.VERIFIED else Grade.UNASSESSED,
        has_disagreements=denied or len(named) > 1 or disjoint,
        denied_by_party=denied,
        restricted=rng.random() < 0.02,
        # Submitted for review some days after the attack (the review queue is ordered by it).
        submitted_at=None
        if status == Status.DRAFT
        else datetime.combine(day + timedelta(days=rng.randrange(1, 60)), time(rng.randrange(24)), tzinfo=UTC),
        created_by=user,
        last_edited_by=user,
    )
    return incident, plan


def _claims(rng, day, perpetrator, actors, independent, belligerent) -> list[dict]:
    count = _pick(rng, CLAIMS_PER_INCIDENT)
    killed = int(rng.expovariate(1 / 8))
    plan = []
    for i in range(count):
        published = day + timedelta(days=rng.randrange(0, 10))
        if i > 0 and rng.random() < 0.12:
            denier = belligerent[actors.index(perpetrator)]
            plan.append(
                {
                    "source": denier,
                    "stance": Stance.DENIES,
                    "published_on": published,
                    "excerpt": "Synthetic denial.",
                    "credibility": Credibility.DOUBTFUL,
                }
            )
            continue
        low = max(0, killed + rng.randint(-3, 3))
        named = perpetrator if rng.random() < 0.9 else rng.choice(actors)
        plan.append(
            {
                "source": rng.choice(independent),
                "stance": Stance.ALLEGES if i == 0 else Stance.CORROBORATES,
                "published_on": published,
                "event_date": day,
                "killed_min": low,
                "killed_max": low + rng.choice([0, 0, 2, 5]),
                "injured_min": low * 2 if rng.random() < 0.6 else None,
                "injured_max": low * 3 if rng.random() < 0.6 else None,
                "perpetrator": named if rng.random() < 0.8 else None,
                "munition": "",
                "excerpt": f"Synthetic report of {low} killed.",
                "credibility": rng.choice([Credibility.PROBABLY_TRUE, Credibility.POSSIBLY_TRUE]),
            }
        )
    return plan
