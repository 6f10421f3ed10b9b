"""The one way views reach an incident: visible to this user, or a 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from verify.accounts.audit import audit_denied
from verify.incidents.models import Incident


def get_incident_for_user(user, reference: str, *, perm: str | None = None) -> Incident:
    """The incident with this reference if the user may see it, else 404.

    A merged-away incident resolves to the one it was merged into. With `perm`, a visible incident the user
    may not act on is a 403: they already know it exists.
    """
    incident = (
        Incident.objects.filter(reference=reference)
        .select_related("place", "place__governorate", "created_by", "last_edited_by", "merged_into")
        .first()
    )
    seen = set()
    while incident is not None and incident.merged_into_id:
        if incident.pk in seen:
            raise Http404(_("No such incident."))  # a cycle of merges leads nowhere
        seen.add(incident.pk)
        incident = incident.merged_into
    if incident is None or not Incident.objects.visible_to(user).filter(pk=incident.pk).exists():
        if incident is not None and incident.restricted:
            audit_denied(user, kind="incident", target=incident.reference)
        raise Http404(_("No such incident."))
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return incident
