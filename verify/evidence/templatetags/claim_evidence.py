"""The evidence side of the claims panel, loaded by its template: the claims app lies below evidence and does not
import it; the template asks for it by name."""

from django import template

from verify.evidence.panels import ClaimEvidenceNote, claim_evidence_notes

register = template.Library()


@register.simple_tag(takes_context=True)
def claim_evidence(context, claims) -> dict[int, list[ClaimEvidenceNote]]:
    return claim_evidence_notes([claim.pk for claim in claims], context["request"].user)


@register.filter
def notes_for(notes: dict, claim) -> list[ClaimEvidenceNote]:
    return notes.get(claim.pk, [])
