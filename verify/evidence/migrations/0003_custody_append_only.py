"""Make the custody log append-only in the database itself, not only in the model.

Row-level triggers refuse every UPDATE and DELETE. TRUNCATE is left to privileges: the application's database
role should not own the table in production (see README), and the test runner's flush needs it.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION evidence_custody_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'custody events are append-only: %% is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER evidence_custody_no_update BEFORE UPDATE OR DELETE ON evidence_custodyevent
    FOR EACH ROW EXECUTE FUNCTION evidence_custody_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS evidence_custody_no_update ON evidence_custodyevent;
DROP FUNCTION IF EXISTS evidence_custody_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER evidence_custody_no_update BEFORE UPDATE ON evidence_custodyevent
       BEGIN SELECT RAISE(ABORT, 'custody events are append-only: UPDATE is not allowed'); END;""",
    """CREATE TRIGGER evidence_custody_no_delete BEFORE DELETE ON evidence_custodyevent
       BEGIN SELECT RAISE(ABORT, 'custody events are append-only: DELETE is not allowed'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS evidence_custody_no_update;",
    "DROP TRIGGER IF EXISTS evidence_custody_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_initial")]

    operations = [migrations.RunPython(forward, reverse)]
