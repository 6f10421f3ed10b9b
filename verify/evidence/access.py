from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from verify.accounts.audit import audit_denied
from verify.evidence.models import EvidenceItem


def get_evidence_for_user(user, pk: int, *, perm: str | None = None) -> EvidenceItem:
    """Evidence linked to a restricted incident the user cannot see is a 404, whatever else it is linked to."""
    item = EvidenceItem.objects.visible_to(user).filter(pk=pk).first()
    if item is None:
        if EvidenceItem.objects.filter(pk=pk).exists():
            audit_denied(user, kind="evidence", target=pk)
        raise Http404(_("No such evidence item."))
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return item


def get_capture_for_user(user, pk: int):
    """A web capture for a restricted incident the user cannot see is a 404, like its evidence."""
    from verify.evidence.models import WebCapture

    capture = WebCapture.objects.visible_to(user).filter(pk=pk).select_related("incident", "requested_by").first()
    if capture is None:
        if WebCapture.objects.filter(pk=pk).exists():
            audit_denied(user, kind="web_capture", target=pk)
        raise Http404(_("No such web capture."))
    return capture
