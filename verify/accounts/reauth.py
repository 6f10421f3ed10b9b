"""Sensitive actions need a password or second factor entered within ACCOUNT_REAUTHENTICATION_TIMEOUT.

Both helpers raise allauth's ReauthenticationRequired; allauth's AccountMiddleware then asks for the password (or
a second factor) and replays the suspended request, POST data included.
"""

from functools import wraps

from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.http import HttpRequest


def require_recent_reauthentication(request: HttpRequest) -> None:
    # SENSITIVE_ACTION_REAUTHENTICATION is a settings-only switch (never read from the environment) so that the
    # general test suite can sign in with force_login; tests/accounts turns it back on.
    if settings.SENSITIVE_ACTION_REAUTHENTICATION and not did_recently_reauthenticate(request):
        raise ReauthenticationRequired()


def reauthentication_required(view):
    """For exports, user management and creating API tokens."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        require_recent_reauthentication(request)
        return view(request, *args, **kwargs)

    return wrapper
