"""Claim suggestions: precision and recall on the evaluation corpus, and the time per report (issue 15).

    .venv/bin/python bench/suggestions.py            # the table, then timings
    BENCH_ROUNDS=20 .venv/bin/python bench/suggestions.py

Prints figures; asserts nothing (the targets are asserted by tests/suggestions/test_corpus.py). Runs without the
database: the extractor is plain Python, the place index is built from the gazetteer's offline data.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

started = time.perf_counter()
import dateparser  # noqa: F401  (its import is part of a cold start)

import_seconds = time.perf_counter() - started

from verify.suggestions.evaluation import load_corpus, offline_place_index, register_book, run
from verify.suggestions.extract import extract

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def main() -> None:
    result = run()
    print(result.table())
    print("below target:", "; ".join(result.below_target()) or "none")
    texts, register = load_corpus()
    book = register_book(register)
    started = time.perf_counter()
    index = offline_place_index()
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    first = texts[0]
    extract(first["text"], published_on=date.fromisoformat(first["published_on"]), places=index, sources=book)
    first_seconds = time.perf_counter() - started
    per_text = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            extract(text["text"], published_on=date.fromisoformat(text["published_on"]), places=index, sources=book)
            per_text.append(time.perf_counter() - started)
    chars = statistics.mean(len(t["text"]) for t in texts)
    print(
        f"\ndateparser import: {import_seconds * 1000:.0f} ms; place index ({len(index)} names): "
        f"{index_seconds * 1000:.0f} ms; first report (dateparser warm-up): {first_seconds * 1000:.0f} ms"
    )
    print(
        f"per report ({len(texts)} reports × {ROUNDS} rounds, {chars:.0f} characters on average): "
        f"median {statistics.median(per_text) * 1000:.1f} ms, "
        f"p95 {statistics.quantiles(per_text, n=20)[18] * 1000:.1f} ms"
    )
    page = " ".join(t["text"] for t in texts if t["lang"] == "en")[:3000]
    started = time.perf_counter()
    for _ in range(ROUNDS):
        extract(page, published_on=date(2019, 7, 23), places=index, sources=book)
    print(f"a 3,000-character page: {(time.perf_counter() - started) / ROUNDS * 1000:.0f} ms")


if __name__ == "__main__":
    main()
