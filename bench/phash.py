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
    values = [rng.getrandbits(64) for _ in range(N)]
    t0 = time.perf_counter()
    batch = 5000
    for start in range(0, N, batch):
        rows = []
        for i in range(start, min(N, start + batch)):
            hex_hash = f"{values[i]:016x}"
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
    print(f"stored {N:,} hashes in {time.perf_counter() - t0:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE evidence_evidenceitem")
    return values


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
    every = list(EvidenceItem.objects.values_list("perceptual_hash", flat=True))
    target = f"{values[0]:016x}"
    hits = sum(1 for h in every if phash.distance(target, h) <= 8)
    old_ms = (time.perf_counter() - t0) * 1000
    print(f"the old way, every hash read into Python for one lookup: {old_ms:.0f} ms ({hits} hit)")


if __name__ == "__main__":
    main()
