from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from verify.claims.models import Actor, Claim, Source


def get_claim_for_user(user, pk: int, *, perm: str | None = None) -> Claim:
    """A claim is visible exactly when its incident is."""
    claim = Claim.objects.visible_to(user).select_related("incident", "source", "perpetrator").filter(pk=pk).first()
    if claim is None:
        raise Http404(_("No such claim."))
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return claim


def get_source_for_user(user, pk: int, *, perm: str | None = None) -> Source:
    if not user.has_perm("claims.view_source"):
        raise Http404(_("No such source."))
    source = Source.objects.visible_to(user).select_related("affiliation").filter(pk=pk).first()
    if source is None:
        raise Http404(_("No such source."))
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return source


def get_actor_for_user(user, pk: int, *, perm: str | None = None) -> Actor:
    if not user.has_perm("claims.view_actor"):
        raise Http404(_("No such actor."))
    actor = Actor.objects.visible_to(user).select_related("parent", "merged_into").filter(pk=pk).first()
    if actor is None:
        raise Http404(_("No such actor."))
    if perm and not user.has_perm(perm):
        raise PermissionDenied
    return actor
