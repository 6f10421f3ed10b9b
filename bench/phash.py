"""Near-duplicate lookup at scale (issue 16). Prints figures; asserts nothing.

    .venv/bin/python bench/phash.py                                   # throwaway SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench .venv/bin/python bench/phash.py

Stores BENCH_HASHES evidence rows (default 1,000,000) with random 64-bit perceptual hashes and their three indexed
bands (verify/lib/phash.py), then times BENCH_LOOKUPS lookups of near_duplicates() for one image, through
the band indexes and the visibility rule, as the evidence page does: half for a hash within 8 bits of a stored one
(spread over all three bands, the hardest case), half for a fresh random hash. Prints p50 and p95, the candidates
read per lookup, and, for comparison, the old way: reading every hash into Python.
"""

import os
import random
import statistics
import time

import run  # noqa: F401 (bench/run.py: Django set up on a throwaway database)
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection, transaction

from verify.evidence.models import EvidenceItem, band_candidates, band_fields
from verify.evidence.panels import near_duplicates
from verify.lib import phash

N = int(os.environ.get("BENCH_HASHES", "1000000"))
LOOKUPS = int(os.environ.get("BENCH_LOOKUPS", "200"))


def build(user: User, rng: random.Random) -> list[int]:
    call_command("migrate", verbosity=0)
    have = EvidenceItem.objects.filter(title__startswith="Bench image").count()
    if have < N:
        t0 = time.perf_counter()
        if connection.vendor == "postgresql":
            build_postgresql(user, have)
        else:
            build_orm(user, rng, have)
        print(f"stored {N - have:,} hashes in {time.perf_counter() - t0:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE evidence_evidenceitem")
    for row in EvidenceItem.objects.filter(title__startswith="Bench image").order_by("?")[:100]:
        assert band_fields(row.perceptual_hash) == {f"phash_band{i}": getattr(row, f"phash_band{i}") for i in range(3)}
    hashes = EvidenceItem.objects.filter(title__startswith="Bench image").values_list("perceptual_hash", flat=True)
    return [int(h, 16) for h in hashes]


def build_orm(user: User, rng: random.Random, have: int) -> None:
    batch = 5000
    for start in range(have, N, batch):
        rows = []
        for i in range(start, min(N, start + batch)):
            hex_hash = f"{rng.getrandbits(64):016x}"
            rows.append(
                EvidenceItem(
                    sha256=f"{i:064x}",
                    size_bytes=1,
                    mime_type="image/jpeg",
                    original_filename="x.jpg",
                    storage_name=f"{i}",
                    title=f"Bench image {i}",
                    kind="photo",
                    uploaded_by=user,
                    perceptual_hash=hex_hash,
                    **band_fields(hex_hash),
                )
            )
        with transaction.atomic():
            EvidenceItem.objects.bulk_create(rows)


def build_postgresql(user: User, have: int) -> None:
    """One INSERT ... SELECT over generate_series, copying a template row (seconds rather than minutes); the
    bands are cut in SQL exactly as verify/lib/phash.py cuts them (checked below on a sample)."""
    template = EvidenceItem.objects.create(
        sha256="f" * 64,
        size_bytes=1,
        mime_type="image/jpeg",
        original_filename="x.jpg",
        storage_name="t",
        title="Bench template",
        kind="photo",
        uploaded_by=user,
    )
    table = EvidenceItem._meta.db_table
    columns = [f.column for f in EvidenceItem._meta.concrete_fields if f.column != "id"]
    varying = {
        "sha256": "lpad(to_hex(g), 64, '0')",
        "storage_name": "g::text",
        "title": "'Bench image ' || g",
        "perceptual_hash": "h",
    }
    width_sum, shift = 0, 64
    for i, width in enumerate(phash.WIDTHS):
        shift -= width
        varying[f"phash_band{i}"] = (
            f"substring(('x' || h)::bit(64) from {width_sum + 1} for {width})::bit({width})::int"
        )
        width_sum += width
    select = ", ".join(varying.get(c, f"t.{c}") for c in columns)
    random_hex = "lpad(to_hex((random() * 4294967295)::bigint), 8, '0')"
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.16)")
        # Table and column names from the model, no user input.
        sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} t, "  # noqa: S608
        sql += f"(SELECT g, {random_hex} || {random_hex} AS h FROM generate_series(%s, %s) g) s WHERE t.id = %s"  # noqa: S608
        cursor.execute(sql, [have, N - 1, template.pk])
    # The template row stays (evidence is never deleted); it has no hash, so no lookup finds it.


def flip8(value: int, rng: random.Random) -> int:
    """Eight bits flipped, 3 + 3 + 2 over the three bands: no band is left equal."""
    for low, high, count in ((0, 21, 2), (21, 42, 3), (42, 64, 3)):
        for bit in rng.sample(range(low, high), count):
            value ^= 1 << bit
    return value


def main() -> None:
    rng = random.Random(16)
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-phash")
    user.groups.add(Group.objects.get(name="Researcher"))
    values = build(user, rng)
    probe = EvidenceItem(title="probe", uploaded_by=user)
    timings, candidates, found = [], [], 0
    for n in range(LOOKUPS):
        value = flip8(rng.choice(values), rng) if n % 2 == 0 else rng.getrandbits(64)
        probe.pk, probe.perceptual_hash = -1, f"{value:016x}"
        t0 = time.perf_counter()
        near = near_duplicates(probe, user)
        timings.append((time.perf_counter() - t0) * 1000)
        found += bool(near)
        if n < 20:
            candidates.append(EvidenceItem.objects.filter(band_candidates(probe.perceptual_hash, 8)).count())
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"verify near-duplicate benchmark: {N:,} hashes, {connection.vendor}, {LOOKUPS} lookups")
    print(f"near_duplicates() through the band indexes: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")
    print(f"candidates read per lookup (median of 20): {statistics.median(candidates):.0f}; found: {found}/{LOOKUPS}")
    t0 = time.perf_counter()
    every = list(EvidenceItem.objects.with_perceptual_hash().values_list("perceptual_hash", flat=True))
    target = f"{values[0]:016x}"
    hits = sum(1 for h in every if phash.distance(target, h) <= 8)
    old_ms = (time.perf_counter() - t0) * 1000
    print(f"the old way, every hash read into Python for one lookup: {old_ms:.0f} ms ({hits} hit)")


if __name__ == "__main__":
    main()
