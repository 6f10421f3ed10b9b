"""The account page for API tokens: create one (the password again first), see it once, revoke it. Admins see and
revoke everyone's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from verify.accounts.reauth import reauthentication_required
from verify.api import services
from verify.api.access import get_token_for_user, tokens_visible_to
from verify.api.forms import TokenForm
from verify.core.forms import add_service_errors


def _render(request: HttpRequest, form: TokenForm, *, status: int = 200) -> HttpResponse:
    tokens = tokens_visible_to(request.user)
    context = {"form": form, "tokens": tokens, "all_users": services.can_manage_all(request.user)}
    return render(request, "api/tokens.html", context, status=status)


@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    return _render(request, TokenForm())


@require_POST
@reauthentication_required
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Shown on this answer only: it is not stored, and the page is not cached (PrivateCacheMiddleware).
            return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return _render(request, form, status=400)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(request.user, pk)
    if services.token_revoke(token=token, by=request.user):
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens")
