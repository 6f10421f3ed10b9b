"""What the evidence page and its custody exports may say about incidents and claims the reader cannot see.

An item unlinked from a restricted incident becomes visible to outsiders, but its claim links and custody events
still name that incident. Claim links are shown through visible incidents only; a custody event whose detail
names a hidden incident or a claim of one keeps its action, time, actor and hash, with the detail redacted.
"""

from collections.abc import Iterable

from verify.evidence.models import ClaimEvidence, CustodyEvent

REDACTED = {"redacted": "restricted incident"}


def visible_claim_links(item, user):
    from verify.incidents.models import Incident

    return ClaimEvidence.objects.filter(evidence=item, claim__incident__in=Incident.objects.visible_to(user))


def visible_acquisitions(item, user):
    """The item's later acquisitions, less those made while uploading to an incident hidden from the user."""
    from django.db.models import Q

    from verify.incidents.models import Incident

    return item.acquisitions.filter(Q(incident__isnull=True) | Q(incident__in=Incident.objects.visible_to(user)))


def redact_custody(events: Iterable[CustodyEvent], user) -> list[CustodyEvent]:
    """The events, with the detail of those naming a hidden incident replaced (in memory only: the log is
    append-only and never changes)."""
    from verify.claims.models import Claim
    from verify.incidents.models import Incident

    events = list(events)
    refs = {e.detail.get("incident") for e in events if isinstance(e.detail, dict)} - {None}
    claim_ids = {e.detail.get("claim") for e in events if isinstance(e.detail, dict)} - {None}
    visible = Incident.objects.visible_to(user)
    hidden_refs = set(
        Incident.objects.filter(reference__in=refs).exclude(pk__in=visible).values_list("reference", flat=True)
    )
    hidden_claims = set(
        Claim.objects.filter(pk__in=[c for c in claim_ids if isinstance(c, int)])
        .exclude(incident__in=visible)
        .values_list("pk", flat=True)
    )
    for event in events:
        detail = event.detail if isinstance(event.detail, dict) else {}
        if detail.get("incident") in hidden_refs or detail.get("claim") in hidden_claims:
            event.detail = dict(REDACTED)
    return events
