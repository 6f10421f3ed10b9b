"""Codes, not English sentences: the status log's system-written notes and the incidents' history reasons become
codes with parameters (see verify.incidents.workflow and verify.core.history). A person's own note is kept."""

import re

from django.db import migrations

STATUS_LABELS = {
    "Draft": "draft",
    "Submitted": "submitted",
    "In review": "in_review",
    "Verified": "verified",
    "Changes requested": "changes_requested",
}
REOPENED = [
    (re.compile(r"^Substantive edit to a verified record \((?P<fields>.*)\): back to review\.$"), "incident_edited"),
    (re.compile(r"^(?P<merged>\S+) was merged into this verified record: back to review\.$"), "merged"),
    (re.compile(r"^Claim from (?P<source>.+) added on a verified record: back to review\.$"), "claim_added"),
    (re.compile(r"^Claim from (?P<source>.+) deleted on a verified record: back to review\.$"), "claim_deleted"),
    (
        re.compile(r"^Claim from (?P<source>.+) edited \((?P<fields>.*)\) on a verified record: back to review\.$"),
        "claim_edited",
    ),
]
ASSIGNED = re.compile(r"^Assigned to (?P<name>\S+)\.$")


def _reason(t) -> tuple[str, dict, str]:
    """(reason, params, note) for an old transition row."""
    note = t.note
    if t.from_status == "verified" and t.to_status == "submitted":
        for pattern, change in REOPENED:
            match = pattern.match(note)
            if match:
                params = {"change": change, **match.groupdict()}
                if "fields" in params:
                    params["fields"] = [f.strip() for f in params["fields"].split(",") if f.strip()]
                return "reopened", params, ""
        return "reopened", {}, note
    if t.from_status == "in_review" and t.to_status == "submitted":
        return "released", {}, "" if note == "Released back to the queue." else note
    if t.to_status == "in_review":
        match = ASSIGNED.match(note)
        return ("assigned", {"assignee": match.group("name")}, "") if match else ("taken", {}, note)
    reason = {"submitted": "submitted", "draft": "withdrawn", "verified": "verified"}.get(t.to_status, t.to_status)
    return reason, {}, note


def history_code(reason: str | None) -> str | None:
    if not reason:
        return reason
    if reason == "Cross-check updated from the claims":
        return "crosscheck"
    if reason == "Saved without changes":
        return "edited"
    if reason.startswith("Status: "):
        label = reason[len("Status: ") :].split(".")[0]
        return f"status:{STATUS_LABELS.get(label, label)}"
    if reason.startswith("Edited: "):
        return "edited:" + ",".join(f.strip() for f in reason[len("Edited: ") :].split(","))
    match = re.match(r"^Merged into (\S+?)(:.*)?$", reason)
    if match:
        return f"merged_into:{match.group(1)}"
    match = re.match(r"^Merged (\S+) into this incident", reason)
    if match:
        return f"merged_from:{match.group(1)}"
    if reason.startswith("Imported from "):
        return "imported:"
    return reason


def forwards(apps, schema_editor):
    StatusTransition = apps.get_model("incidents", "StatusTransition")
    for t in StatusTransition.objects.all().iterator():
        t.reason, t.params, t.note = _reason(t)
        t.save(update_fields=["reason", "params", "note"])
    HistoricalIncident = apps.get_model("incidents", "HistoricalIncident")
    for h in HistoricalIncident.objects.exclude(history_change_reason__isnull=True).iterator():
        code = history_code(h.history_change_reason)
        if code != h.history_change_reason:
            HistoricalIncident.objects.filter(pk=h.pk).update(history_change_reason=code)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0009_status_log_moves_to_incidents"),
        ("review", "0003_status_log_moved_notification_codes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
