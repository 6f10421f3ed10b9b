"""Sign-ins, sign-outs, password and second-factor changes go to the audit log."""

import time

from allauth.account.signals import password_changed, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from allauth.usersessions.models import UserSession
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from verify.accounts.audit import audit_record
from verify.accounts.models import AuditAction


@receiver(user_logged_in, dispatch_uid="verify.accounts.audit_sign_in")
def on_sign_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    from verify.accounts.middleware import LAST_SEEN_KEY

    request.session[LAST_SEEN_KEY] = int(time.time())
    audit_record(action=AuditAction.SIGN_IN, request=request, user=user, target=user.get_username())


@receiver(user_login_failed, dispatch_uid="verify.accounts.audit_sign_in_failed")
def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the username is kept: credentials also hold the password, which never reaches the log.
    username = str(credentials.get("username") or credentials.get("login") or "")
    audit_record(action=AuditAction.SIGN_IN_FAILED, request=request, user=None, actor_name=username, target=username)


@receiver(user_locked_out, dispatch_uid="verify.accounts.audit_locked_out")
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    audit_record(action=AuditAction.LOCKED_OUT, request=request, user=None, actor_name=username or "")


@receiver(user_logged_out, dispatch_uid="verify.accounts.audit_sign_out")
def on_sign_out(sender, request, user, **kwargs) -> None:
    if user is None or request is None or getattr(request, "verify_idle_timeout", False):
        return
    audit_record(action=AuditAction.SIGN_OUT, request=request, user=user, target=user.get_username())


@receiver(password_changed, dispatch_uid="verify.accounts.password_changed")
@receiver(password_set, dispatch_uid="verify.accounts.password_set")
def on_password_changed(sender, request, user, signal, **kwargs) -> None:
    """Every other session of this user ends at once (Django would only refuse them at their next request)."""
    others = UserSession.objects.filter(user=user).exclude(session_key=request.session.session_key)
    ended = 0
    for session in others:
        session.end()
        ended += 1
    action = AuditAction.PASSWORD_CHANGED if signal is password_changed else AuditAction.PASSWORD_SET
    audit_record(action=action, request=request, user=user, target=user.get_username(), detail={"ended": ended})


@receiver(authenticator_added, dispatch_uid="verify.accounts.mfa_added")
@receiver(authenticator_removed, dispatch_uid="verify.accounts.mfa_removed")
@receiver(authenticator_reset, dispatch_uid="verify.accounts.mfa_reset")
def on_authenticator_changed(sender, request, user, authenticator, signal, **kwargs) -> None:
    action = {
        authenticator_added: AuditAction.MFA_ADDED,
        authenticator_removed: AuditAction.MFA_REMOVED,
        authenticator_reset: AuditAction.MFA_ADDED,  # new recovery codes: one more way in
    }[signal]
    audit_record(
        action=action, request=request, user=user, target=user.get_username(), detail={"type": authenticator.type}
    )
