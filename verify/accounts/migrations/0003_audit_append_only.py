"""Make the audit log append-only in the database itself: rows are never changed.

DELETE stays allowed for retention (audit_prune); as for the custody log, the application's database role should
not own the table in production.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION accounts_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: %% is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_audit_no_update BEFORE UPDATE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_audit_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS accounts_audit_no_update ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_audit_append_only();
"""
SQLITE_FORWARD = """CREATE TRIGGER accounts_audit_no_update BEFORE UPDATE ON accounts_auditevent
   BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE is not allowed'); END;"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS accounts_audit_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_event")]

    operations = [migrations.RunPython(forward, reverse)]
