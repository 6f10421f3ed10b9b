from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from verify.casefiles.models import CaseFileRequest

REQUEST_PERM = "casefiles.request_casefile"
APPROVE_PERM = "casefiles.approve_casefilerequest"


def can_request(user) -> bool:
    return user.is_authenticated and user.has_perm(REQUEST_PERM)


def can_approve(user) -> bool:
    return user.is_authenticated and user.has_perm(APPROVE_PERM)


def get_request_for_user(user, pk: int) -> CaseFileRequest:
    """A request is its requester's; an approver also sees the ones awaiting a decision. Anyone else: 404."""
    if not (can_request(user) or can_approve(user)):
        raise PermissionDenied
    request = CaseFileRequest.objects.select_related("requested_by", "decided_by").filter(pk=pk).first()
    if request is None:
        raise Http404(_("No such case file."))
    if request.requested_by_id == user.pk:
        return request
    if can_approve(user):
        return request
    raise Http404(_("No such case file."))
