from django.utils.translation import gettext as _

from verify.core.history import HistoryEntry, entries_for
from verify.incidents.models import Incident

IGNORED = {"version", "updated_at", "suggestion_reasons"}  # the reasons are shown with the suggestion


def incident_history(incident: Incident) -> list[HistoryEntry]:
    """The incident's changes and its claims' changes, newest first."""
    from verify.claims.models import Claim

    entries = entries_for(
        incident.history.select_related("history_user").order_by("-history_date", "-history_id"),
        _("Incident %(reference)s") % {"reference": incident.reference},
        IGNORED,
    )
    claim_records = Claim.history.filter(incident_id=incident.pk).select_related("history_user", "source")
    by_claim: dict[int, list] = {}
    for record in claim_records.order_by("-history_date", "-history_id"):
        by_claim.setdefault(record.id, []).append(record)
    for claim_id, records in by_claim.items():
        label = _("Claim #%(pk)s (%(source)s)") % {"pk": claim_id, "source": records[0].source}
        entries += entries_for(records, label, IGNORED)
    _add_merge_notes(entries, incident)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _add_merge_notes(entries: list[HistoryEntry], incident: Incident) -> None:
    """A merge's reason is kept once, on the merged-away incident; show it in the kept one's history too."""
    notes = dict(Incident.objects.filter(merged_into=incident).values_list("reference", "merge_note"))
    notes[incident.reference] = incident.merge_note
    for entry in entries:
        code, _sep, reference = entry.code.partition(":")
        if code in {"merged_from", "merged_into"}:
            note = notes.get(reference) if code == "merged_from" else incident.merge_note
            if note:
                entry.reason = f"{entry.reason}: {note}"
