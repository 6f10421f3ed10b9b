"""What a person is told about the sign-in limit per address (django-axes): how many attempts are left before the
address is locked, and, once it is, when they may try again. Read from axes' own records, so the figures are the
ones axes enforces."""

from datetime import datetime

from axes.conf import settings as axes_settings
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def attempts_left(request: HttpRequest) -> int | None:
    """Failed sign-ins this address may still make before it is locked; None when sign-ins are not limited."""
    if not axes_settings.AXES_ENABLED:
        return None
    limit = get_failure_limit(request, None)
    return max(limit - AxesProxyHandler.get_failures(request), 0)


def locked_until(request: HttpRequest) -> datetime | None:
    """When the lock on this address ends: the cool-off after its latest failure (each failure during the lock
    starts it again). None if the lock does not end by itself."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    AxesProxyHandler.update_request(request)
    # The database handler (the default, and this project's) keeps the attempts' times; others do not say.
    user_attempts = getattr(AxesProxyHandler.get_implementation(), "get_user_attempts", None)
    if user_attempts is None:
        return None
    latest = max(
        (
            found
            for attempts in user_attempts(request, None)
            if (found := attempts.aggregate(latest=Max("attempt_time"))["latest"]) is not None
        ),
        default=None,
    )
    if latest is None:
        return None
    return latest + cool_off


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout page, saying when to try again and linking back to sign in."""
    context = {"try_again_at": locked_until(request), "cool_off": get_cool_off(request)}
    return render(request, "accounts/locked_out.html", context, status=axes_settings.AXES_HTTP_RESPONSE_CODE)
