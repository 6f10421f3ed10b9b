"""The one way views reach an API token: the user's own, or anyone's for an admin; else a 404."""

from django.http import Http404
from django.utils.translation import gettext as _

from verify.api.models import ApiToken
from verify.api.services import can_manage_all


def tokens_visible_to(user):
    tokens = ApiToken.objects.select_related("user", "revoked_by")
    return tokens if can_manage_all(user) else tokens.filter(user=user)


def get_token_for_user(user, pk: int) -> ApiToken:
    token = tokens_visible_to(user).filter(pk=pk).first()
    if token is None:
        raise Http404(_("No such token."))
    return token
