import time
from datetime import UTC, datetime

from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from verify.accounts.audit import audit_record
from verify.accounts.client import client_ip, client_user_agent
from verify.accounts.models import AuditAction

LAST_SEEN_KEY = "verify_last_seen"
# MFA pages, sign-out and re-authentication stay reachable for someone who still has to enrol.
MFA_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/static/")


class IdleTimeoutMiddleware:
    """Signs out a session that has made no request for SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.user.is_authenticated and settings.SESSION_IDLE_TIMEOUT:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                audit_record(action=AuditAction.IDLE_TIMEOUT, request=request, target=request.user.get_username())
                request.verify_idle_timeout = True  # the sign-out signal records no second event
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            # Writing on every request would be wasteful; a minute's precision is plenty.
            if last_seen is None or now - last_seen >= 60:
                mark_seen(request, now)
        return self.get_response(request)


def mark_seen(request: HttpRequest, now: int) -> None:
    """The idle clock, and the last-seen time and address on the session list (allauth.usersessions)."""
    request.session[LAST_SEEN_KEY] = now
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).update(
            last_seen_at=datetime.fromtimestamp(now, tz=UTC),
            ip=client_ip(request),
            user_agent=client_user_agent(request)[:200],
        )


def mfa_required(user) -> bool:
    if not user.is_authenticated or not settings.MFA_REQUIRED_ROLES:
        return False
    if settings.DEMO_MODE and user.get_username() in demo_usernames():
        return False
    if not user.groups.filter(name__in=settings.MFA_REQUIRED_ROLES).exists():
        return False
    return not is_mfa_enabled(user)


def demo_usernames() -> set[str]:
    from verify.accounts.roles import DEMO_USERS

    return {username for username, *_ in DEMO_USERS}


class MFARequiredMiddleware:
    """People in MFA_REQUIRED_ROLES without a second factor are sent to enrol one before anything else."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not request.path.startswith(MFA_EXEMPT_PREFIXES) and mfa_required(request.user):
            messages.warning(request, _("Your role requires a second factor. Set one up to continue."))
            return redirect("mfa_index")
        return self.get_response(request)
