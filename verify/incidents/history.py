from verify.core.history import HistoryEntry, entries_for
from verify.incidents.models import Incident

IGNORED = {"version", "updated_at", "suggestion_reasons"}  # the reasons are shown with the suggestion


def incident_history(incident: Incident) -> list[HistoryEntry]:
    """The incident's changes and its claims' changes, newest first."""
    from verify.claims.models import Claim

    entries = entries_for(
        incident.history.select_related("history_user").order_by("-history_date", "-history_id"),
        f"Incident {incident.reference}",
        IGNORED,
    )
    claim_records = Claim.history.filter(incident_id=incident.pk).select_related("history_user", "source")
    by_claim: dict[int, list] = {}
    for record in claim_records.order_by("-history_date", "-history_id"):
        by_claim.setdefault(record.id, []).append(record)
    for claim_id, records in by_claim.items():
        entries += entries_for(records, f"Claim #{claim_id} ({records[0].source})", IGNORED)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
