"""Search matches one folded column (verify.lib.fold): "ادلب" finds "إدلب", "idleb" finds "Idléb".

On PostgreSQL one trigram index on search_text answers `LIKE '%needle%'`; the four trigram indexes on
UPPER(column) that the old case-insensitive search used (migration 0005) are dropped.
"""

from django.db import migrations, models

from verify.lib.fold import fold

SEARCHED_FIELDS = ("reference", "title", "summary", "location_name")
OLD_COLUMNS = ("reference", "title", "summary", "location_name")


def backfill(apps, schema_editor):
    Incident = apps.get_model("incidents", "Incident")
    batch = []
    for row in Incident.objects.only("pk", *SEARCHED_FIELDS).iterator(chunk_size=2000):
        row.search_text = fold("\n".join(getattr(row, name) or "" for name in SEARCHED_FIELDS))
        batch.append(row)
        if len(batch) >= 2000:
            Incident.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Incident.objects.bulk_update(batch, ["search_text"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in OLD_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS incident_{column}_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS incident_search_text_trgm ON incidents_incident "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS incident_search_text_trgm")
    for column in OLD_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS incident_{column}_trgm ON incidents_incident "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0012_labels")]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
