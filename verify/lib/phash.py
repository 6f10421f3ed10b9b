"""Near-duplicate search over 64-bit perceptual hashes by multi-index hashing.

A hash is cut into three bands of 22, 21 and 21 bits, each stored in an indexed column. If two hashes differ in at
most `d` bits, at least one of their three bands differs in at most d // 3 bits (pigeonhole). So the candidates
for a query are the rows whose band i is one of the values within d // 3 bits of the query's band i, for some i:
a few hundred values looked up in three indexes, never a scan. The exact Hamming distance is then computed on the
candidates alone. For d = 8 that is 254 + 232 + 232 values; with a million random hashes, each value matches
about half a row, so a lookup reads a few hundred candidates. (Three bands rather than four: with 16-bit bands
each value would match ~15 rows of a million, and a lookup would read ~8,000.)
"""

from functools import cache
from itertools import combinations

WIDTHS = (22, 21, 21)
BANDS = len(WIDTHS)


def to_int(hex_hash: str) -> int:
    return int(hex_hash, 16)


def bands(hex_hash: str) -> tuple[int, ...]:
    """The bands of a 64-bit hash, most significant first. A shorter or longer hash is not banded."""
    if len(hex_hash) != 16:
        raise ValueError(f"Expected a 64-bit hash of 16 hex digits, got {hex_hash!r}.")
    value, out, shift = to_int(hex_hash), [], 64
    for width in WIDTHS:
        shift -= width
        out.append((value >> shift) & ((1 << width) - 1))
    return tuple(out)


@cache
def _flip_masks(width: int, radius: int) -> tuple[int, ...]:
    masks = [0]
    for r in range(1, radius + 1):
        for bits in combinations(range(width), r):
            masks.append(sum(1 << b for b in bits))
    return tuple(masks)


def neighbours(value: int, radius: int, width: int) -> list[int]:
    """Every `width`-bit value within `radius` bits of `value`, itself included."""
    return [value ^ mask for mask in _flip_masks(width, radius)]


def band_radius(threshold: int) -> int:
    return max(0, threshold) // BANDS


def distance(a: str, b: str) -> int:
    return (to_int(a) ^ to_int(b)).bit_count()
