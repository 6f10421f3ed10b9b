"""StatusTransition now belongs to incidents (same table). Notifications store their words as a kind and
parameters; `message` keeps only the start of what a person wrote."""

import re

from django.db import migrations, models

VERDICT = re.compile(r"^\S+ (verified \S+ as (?P<grade>\w+)|requested changes to \S+): ?(?P<note>.*)$", re.S)
MENTION = re.compile(r"^\S+ mentioned you on \S+: ?(?P<note>.*)$", re.S)
GRADES = {"unassessed", "confirmed", "fair", "weak", "contested", "discounted"}


def to_codes(apps, schema_editor):
    Notification = apps.get_model("review", "Notification")
    for note in Notification.objects.all().iterator():
        params, excerpt = {}, ""
        if note.kind == "verdict":
            match = VERDICT.match(note.message)
            if match:
                grade = (match.group("grade") or "").lower()
                params = {"verdict": "verify", "grade": grade} if grade in GRADES else {"verdict": "request_changes"}
                excerpt = match.group("note")
        elif note.kind == "mention":
            match = MENTION.match(note.message)
            excerpt = match.group("note") if match else ""
        note.params, note.message = params, excerpt[:150]
        note.save(update_fields=["params", "message"])


class Migration(migrations.Migration):
    dependencies = [("review", "0002_notifications"), ("incidents", "0009_status_log_moves_to_incidents")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StatusTransition")], database_operations=[]
        ),
        migrations.AddField(model_name="notification", name="params", field=models.JSONField(blank=True, default=dict)),
        migrations.AlterField(
            model_name="notification", name="message", field=models.CharField(blank=True, max_length=300)
        ),
        migrations.RunPython(to_codes, migrations.RunPython.noop),
    ]
