"""Near-duplicate search through the hash band indexes: exact for every distance up to the threshold, and no
longer a read of every stored hash."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from verify.evidence.models import EvidenceItem, band_candidates, band_fields
from verify.evidence.panels import near_duplicates
from verify.lib import phash

HASHES = st.integers(min_value=0, max_value=2**64 - 1)


def flip(value: int, bits: list[int]) -> int:
    for bit in bits:
        value ^= 1 << bit
    return value


def in_candidates(query: int, other: int, threshold: int) -> bool:
    """What the OR of the four band lookups selects, computed without a database."""
    q, o = phash.bands(f"{query:016x}"), phash.bands(f"{other:016x}")
    radius = phash.band_radius(threshold)
    return any(o[i] in phash.neighbours(q[i], radius, phash.WIDTHS[i]) for i in range(phash.BANDS))


@hsettings(max_examples=300, deadline=None)
@given(HASHES, st.lists(st.integers(min_value=0, max_value=63), max_size=8, unique=True))
def test_every_hash_within_the_threshold_is_a_candidate(query, bits):
    assert in_candidates(query, flip(query, bits), 8)


def test_the_bands_and_neighbours():
    value = 0x0123456789ABCDEF
    assert phash.bands(f"{value:016x}") == (value >> 42, (value >> 21) & (2**21 - 1), value & (2**21 - 1))
    assert len(phash.neighbours(0, 2, 21)) == 1 + 21 + 210
    assert all((n ^ 0x00FF).bit_count() <= 2 for n in phash.neighbours(0x00FF, 2, 21))
    with pytest.raises(ValueError):
        phash.bands("abc")
    assert band_fields("") == {f"phash_band{i}": None for i in range(3)}


def item_with_hash(user, value: int, title: str) -> EvidenceItem:
    item = EvidenceItem.objects.create(
        sha256=f"{random.getrandbits(256):064x}",
        size_bytes=1,
        mime_type="image/jpeg",
        original_filename=f"{title}.jpg",
        storage_name="x",
        title=title,
        kind="photo",
        uploaded_by=user,
    )
    hex_hash = f"{value:016x}"
    EvidenceItem.objects.filter(pk=item.pk).update(perceptual_hash=hex_hash, **band_fields(hex_hash))
    item.refresh_from_db()
    return item


@pytest.mark.django_db
def test_near_duplicates_through_the_index(researcher, settings):
    settings.EVIDENCE_NEAR_DUPLICATE_DISTANCE = 8
    rng = random.Random(4)
    base = rng.getrandbits(64)
    item = item_with_hash(researcher, base, "original")
    # Eight bits spread over all three bands (3 + 3 + 2): no band is equal, yet it is within the threshold.
    eight = item_with_hash(researcher, flip(base, [0, 1, 2, 30, 31, 32, 50, 51]), "eight bits")
    nine = item_with_hash(researcher, flip(base, [0, 1, 2, 30, 31, 32, 50, 51, 52]), "nine bits")
    for n in range(200):
        item_with_hash(researcher, rng.getrandbits(64), f"noise {n}")
    with CaptureQueriesContext(connection) as queries:
        found = near_duplicates(item, researcher)
    assert [(n.item.pk, n.distance) for n in found] == [(eight.pk, 8)]
    assert nine.pk not in [n.item.pk for n in found]
    assert any("phash_band0" in q["sql"] for q in queries.captured_queries)
    # The band lookup returns a handful of candidates, not the archive.
    candidates = EvidenceItem.objects.filter(band_candidates(item.perceptual_hash, 8)).count()
    assert candidates < 10


@pytest.mark.django_db
@pytest.mark.parametrize("band", range(phash.BANDS))
def test_a_near_duplicate_in_any_band_is_found_and_one_beyond_is_not(researcher, settings, band):
    """Bits flipped within one band only (the others equal), and the same spread over every band: found up to the
    threshold, never beyond it. Run on SQLite and, with DATABASE_URL, on PostgreSQL."""
    settings.EVIDENCE_NEAR_DUPLICATE_DISTANCE = 8
    rng = random.Random(100 + band)
    base = rng.getrandbits(64)
    item = item_with_hash(researcher, base, "original")
    high = 64 - sum(phash.WIDTHS[:band])  # this band's bits are [high - width, high)
    bits = list(range(high - phash.WIDTHS[band], high))
    rng.shuffle(bits)
    two = item_with_hash(researcher, flip(base, bits[:2]), "two bits in the band")
    eight = item_with_hash(researcher, flip(base, bits[:8]), "eight bits in the band")
    nine = item_with_hash(researcher, flip(base, bits[:9]), "nine bits in the band")
    spread = rng.sample(range(64), 9)
    within = item_with_hash(researcher, flip(base, spread[:8]), "eight bits anywhere")
    beyond = item_with_hash(researcher, flip(base, spread), "nine bits anywhere")
    for n in range(50):
        item_with_hash(researcher, rng.getrandbits(64), f"noise {n}")
    found = {n.item.pk: n.distance for n in near_duplicates(item, researcher)}
    assert found == {two.pk: 2, eight.pk: 8, within.pk: 8}
    assert nine.pk not in found and beyond.pk not in found
