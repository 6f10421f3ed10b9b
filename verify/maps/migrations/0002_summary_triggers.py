"""On PostgreSQL: fill the map and timeline counts from the incidents, and keep them current with statement-level
triggers (set-based through transition tables, so a bulk insert or update costs one aggregate, not one per row).
Nothing on SQLite, which answers from the incidents themselves."""

from django.db import migrations

VISIBLE = "merged_into_id IS NULL AND NOT restricted"

GRID_DELTA = """
    INSERT INTO maps_gridcount AS g (cy, cx, grade, n, sum_lat, sum_lng)
    SELECT cy, cx, grade, sum(s), sum(s * latitude), sum(s * longitude) FROM (
        {parts}
    ) AS d GROUP BY cy, cx, grade
    HAVING sum(s) <> 0 OR sum(s * latitude) <> 0 OR sum(s * longitude) <> 0
    ON CONFLICT (cy, cx, grade) DO UPDATE SET
        n = g.n + EXCLUDED.n, sum_lat = g.sum_lat + EXCLUDED.sum_lat, sum_lng = g.sum_lng + EXCLUDED.sum_lng;
"""
GRID_PART = f"""SELECT floor(latitude * 20)::int AS cy, floor(longitude * 20)::int AS cx, grade, {{sign}} AS s,
        latitude, longitude FROM {{table}} WHERE {VISIBLE} AND latitude IS NOT NULL"""  # noqa: S608 - constants
MONTH_DELTA = """
    INSERT INTO maps_monthcount AS m (month, n)
    SELECT month, sum(s) FROM ({parts}) AS d GROUP BY month HAVING sum(s) <> 0
    ON CONFLICT (month) DO UPDATE SET n = m.n + EXCLUDED.n;
"""
MONTH_PART = f"""SELECT date_trunc('month', date_start)::date AS month, {{sign}} AS s FROM {{table}}
        WHERE {VISIBLE} AND date_start IS NOT NULL"""  # noqa: S608 - constants


def _delta(parts: list[tuple[str, int]]) -> str:
    grid = " UNION ALL ".join(GRID_PART.format(sign=s, table=t) for t, s in parts)
    month = " UNION ALL ".join(MONTH_PART.format(sign=s, table=t) for t, s in parts)
    return GRID_DELTA.format(parts=grid) + MONTH_DELTA.format(parts=month)


FORWARD = f"""
CREATE FUNCTION maps_summary_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_delta([("new_rows", 1)])} RETURN NULL; END $$;
CREATE FUNCTION maps_summary_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_delta([("old_rows", -1)])} RETURN NULL; END $$;
CREATE FUNCTION maps_summary_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_delta([("new_rows", 1), ("old_rows", -1)])} RETURN NULL; END $$;
CREATE TRIGGER maps_summary_insert AFTER INSERT ON incidents_incident
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION maps_summary_insert();
CREATE TRIGGER maps_summary_delete AFTER DELETE ON incidents_incident
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION maps_summary_delete();
CREATE TRIGGER maps_summary_update AFTER UPDATE ON incidents_incident
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION maps_summary_update();
DELETE FROM maps_gridcount;
DELETE FROM maps_monthcount;
{_delta([("incidents_incident", 1)])}
"""  # noqa: S608 - constants

BACKWARD = """
DROP TRIGGER IF EXISTS maps_summary_insert ON incidents_incident;
DROP TRIGGER IF EXISTS maps_summary_delete ON incidents_incident;
DROP TRIGGER IF EXISTS maps_summary_update ON incidents_incident;
DROP FUNCTION IF EXISTS maps_summary_insert();
DROP FUNCTION IF EXISTS maps_summary_delete();
DROP FUNCTION IF EXISTS maps_summary_update();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("maps", "0001_summary"), ("incidents", "0013_search_text")]

    operations = [migrations.RunPython(forward, backward)]
