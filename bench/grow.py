"""Grow a `seed_bench` database to N incidents in SQL, by copying its synthetic incidents and their claims.

    GROW_DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_h5_1m .venv/bin/python bench/grow.py 1000000

`seed_bench` builds every row in Python (about 20,000 incidents a minute on the shared 2-core machine with eight
agents at work, so 50 minutes for 1,000,000). This copies the synthetic incidents already there (references
`BEN-…`), oldest first, in chunks of 50,000 inside PostgreSQL: each copy keeps its source's shape (attack, target,
status, grade, precision, restriction, place, claims and their sources) and gets its own reference
(`BEN-<year>-C<its id>`), dates shifted together by -20 to +20 days (claims' dates too) and coordinates moved by up to
±0.01° (about 1 km). The map and timeline counts follow through their statement triggers; the duplicate pairs are
not worked out for the copies (`manage.py duplicates_rebuild` does). Run VACUUM ANALYZE afterwards.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")
if not os.environ.get("GROW_DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set GROW_DATABASE_URL to a PostgreSQL database filled by seed_bench.")
os.environ["DATABASE_URL"] = os.environ["GROW_DATABASE_URL"]

import django

django.setup()

from django.db import connection, transaction

CHUNK = 50_000
INCIDENT_COPIED = [
    "title",
    "summary",
    "date_precision",
    "location_name",
    "location_precision",
    "attack_type",
    "target_type",
    "status",
    "grade",
    "grade_rationale",
    "restricted",
    "created_by_id",
    "last_edited_by_id",
    "place_id",
    "denied_by_party",
    "has_disagreements",
    "suggested_grade",
    "suggestion_reasons",
    "external_id",
    "merge_note",
    "search_text",
    "version",
]
CLAIM_COPIED = [
    "version",
    "stance",
    "url",
    "excerpt",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "munition",
    "event_date_precision",
    "latitude",
    "longitude",
    "location_precision",
    "military_objective_present",
    "military_objective_distance_m",
    "credibility",
    "created_by_id",
    "last_edited_by_id",
    "perpetrator_id",
    "place_id",
    "source_id",
]


def grow_chunk(cursor, after_id: int, size: int) -> tuple[int, int]:
    """Copy up to `size` synthetic incidents with ids above `after_id`; returns (last source id, claims copied)."""
    cursor.execute("DROP TABLE IF EXISTS grow_map")
    cursor.execute(
        """CREATE TEMP TABLE grow_map AS
           SELECT id AS old_id, nextval(pg_get_serial_sequence('incidents_incident', 'id')) AS new_id,
                  (floor(random() * 41) - 20)::int AS days, (random() - 0.5) * 0.02 AS dlat,
                  (random() - 0.5) * 0.02 AS dlng
           FROM incidents_incident WHERE reference LIKE 'BEN-%%' AND reference NOT LIKE 'BEN-%%-C%%' AND id > %s
           ORDER BY id LIMIT %s""",
        [after_id, size],
    )
    cursor.execute("SELECT max(old_id), count(*) FROM grow_map")
    last, copied = cursor.fetchone()
    if not copied:
        return after_id, 0
    cols = ",".join(INCIDENT_COPIED)
    src = ",".join(f"i.{c}" for c in INCIDENT_COPIED)
    cursor.execute(
        f"""INSERT INTO incidents_incident (id, created_at, updated_at, reference, date_start, date_end, latitude,
               longitude, submitted_at, {cols})
           SELECT m.new_id, now(), now(),
                  'BEN-' || extract(year FROM i.date_start + m.days)::int || '-C'
                      || lpad(m.new_id::text, 7, '0'),
                  i.date_start + m.days, i.date_end + m.days,
                  round((i.latitude + m.dlat)::numeric, 6), round((i.longitude + m.dlng)::numeric, 6),
                  i.submitted_at + m.days * interval '1 day', {src}
           FROM grow_map m JOIN incidents_incident i ON i.id = m.old_id"""  # noqa: S608 - constants
    )
    cols = ",".join(CLAIM_COPIED)
    src = ",".join(f"c.{c}" for c in CLAIM_COPIED)
    cursor.execute(
        f"""INSERT INTO claims_claim (created_at, updated_at, incident_id, published_on, event_date, {cols})
           SELECT now(), now(), m.new_id, c.published_on + m.days, c.event_date + m.days, {src}
           FROM grow_map m JOIN claims_claim c ON c.incident_id = m.old_id"""  # noqa: S608 - constants
    )
    return last, cursor.rowcount


def main() -> None:
    target = int(sys.argv[1])
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM incidents_incident")
        have = cursor.fetchone()[0]
        after, claims = 0, 0
        while have < target:
            with transaction.atomic():
                after, n = grow_chunk(cursor, after, min(CHUNK, target - have))
                cursor.execute("SELECT count(*) FROM grow_map")
                made = cursor.fetchone()[0]
            if not made:  # every source copied once: go round again
                after = 0
                continue
            have += made
            claims += n
            print(f"  {have:,} incidents ({claims:,} claims copied), {time.perf_counter() - started:.0f} s", flush=True)
    print(f"Grew to {have:,} incidents in {time.perf_counter() - started:.1f} s.")


if __name__ == "__main__":
    main()
