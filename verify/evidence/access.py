from django.core.exceptions import PermissionDenied
from django.http import Http404

from verify.accounts.audit import audit_denied
from verify.evidence.models import EvidenceItem


def get_evidence_for_user(user, pk: int, *, perm: str | None = None) -> EvidenceItem:
    """Evidence linked to a restricted incident the user cannot see is a 404, whatever else it is linked to."""
    item = EvidenceItem.objects.visible_to(user).filter(pk=pk).first()
    if item is None:
        if EvidenceItem.objects.filter(pk=pk).exists():
            audit_denied(user, kind="evidence", target=pk)
        raise Http404("No such evidence item.")
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return item
