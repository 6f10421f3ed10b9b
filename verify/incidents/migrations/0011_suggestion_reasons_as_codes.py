"""Codes, not English sentences: an incident's suggestion_reasons become {"code": ..., **params} dicts (see
verify.lib.grading and verify.claims.reasons).

An old sentence cannot be turned back into its code and parameters without the code that wrote it, so each
becomes {"code": "legacy", "text": <the sentence>}, shown as it was. `manage.py recompute_crosscheck` then
rewrites every incident's reasons as real codes. The incidents' history rows are converted the same way.
"""

from django.db import migrations

LEGACY = "legacy"
BATCH = 500


def legacy_reasons(reasons) -> list:
    """The stored reasons with every plain sentence wrapped as a legacy reason; dicts are kept as they are."""
    if not isinstance(reasons, list):
        return []
    return [{"code": LEGACY, "text": r} if isinstance(r, str) else r for r in reasons]


def sentences(reasons) -> list:
    """The reverse: legacy reasons back to their sentences. Coded reasons stay codes (recompute to reword them)."""
    if not isinstance(reasons, list):
        return []
    return [r["text"] if isinstance(r, dict) and r.get("code") == LEGACY else r for r in reasons]


def _convert(model, convert) -> int:
    changed = []
    done = 0
    for row in model.objects.only("pk", "suggestion_reasons").iterator(chunk_size=BATCH):
        new = convert(row.suggestion_reasons)
        if new != row.suggestion_reasons:
            row.suggestion_reasons = new
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, ["suggestion_reasons"])
            done += len(changed)
            changed = []
    model.objects.bulk_update(changed, ["suggestion_reasons"])
    return done + len(changed)


def forwards(apps, schema_editor) -> None:
    for name in ("Incident", "HistoricalIncident"):
        _convert(apps.get_model("incidents", name), legacy_reasons)


def backwards(apps, schema_editor) -> None:
    for name in ("Incident", "HistoricalIncident"):
        _convert(apps.get_model("incidents", name), sentences)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0010_codes_not_sentences")]

    operations = [migrations.RunPython(forwards, backwards)]
