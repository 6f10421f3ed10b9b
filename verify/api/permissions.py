"""Who may call an endpoint at all. What they may do to a record is decided by the same access helpers and
services as the pages."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from verify.api.models import ApiToken


class SignedInAndTokenScope(permissions.BasePermission):
    """An active signed-in user; a read-only token may only read."""

    message = _("This token can only read: create a read-and-write token to change records.")
    code = "token_read_only"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        token = request.auth
        if isinstance(token, ApiToken) and not token.can_write:
            return request.method in permissions.SAFE_METHODS
        return True


def require_perm(user, perm: str) -> None:
    """A role without this permission gets a 403 (they know the endpoint exists: it is in the schema)."""
    from django.core.exceptions import PermissionDenied

    if not user.has_perm(perm):
        raise PermissionDenied(_("Your role does not allow this."))
