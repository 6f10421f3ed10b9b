"""Recording who did what: `audit_record(...)` from views, signals and services."""

import logging
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from verify.accounts.client import client_ip, client_user_agent, current_request
from verify.accounts.models import AuditAction, AuditEvent

log = logging.getLogger(__name__)


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    user=None,
    actor_name: str = "",
    target: object = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event. `user` defaults to the request's signed-in user; `target` is stored as a string.

    Without a request, the request being served (if any) gives the address and browser.
    """
    request = request if request is not None else current_request.get()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    event = AuditEvent(
        action=action,
        actor=user if user is not None and user.pk else None,
        actor_name=(user.get_username() if user is not None else actor_name)[:150],
        target=str(target)[:200],
        ip=client_ip(request) if request is not None else None,
        user_agent=client_user_agent(request) if request is not None else "",
        detail=detail or {},
    )
    event.save()
    return event


def audit_denied(user, *, kind: str, target: object) -> None:
    """An existing restricted record was refused (the user saw a 404). Alerts the admins after repeated denials."""
    user = user if user is not None and user.is_authenticated else None
    audit_record(action=AuditAction.ACCESS_DENIED, user=user, target=target, detail={"kind": kind})
    if user is None:
        return
    since = timezone.now() - timedelta(seconds=settings.AUDIT_DENIAL_WINDOW)
    denials = AuditEvent.objects.filter(actor=user, action=AuditAction.ACCESS_DENIED, at__gte=since).count()
    # Exactly at the threshold, so that one burst raises one alert, not one per further denial.
    if denials == settings.AUDIT_DENIAL_ALERT_THRESHOLD:
        log.warning("Repeated denied access to restricted records by user %s (%d in window)", user.pk, denials)
        audit_record(
            action=AuditAction.DENIAL_ALERT,
            user=user,
            target=user.get_username(),
            detail={"denials": denials, "window_seconds": settings.AUDIT_DENIAL_WINDOW},
        )


def audit_prune(*, days: int | None = None) -> int:
    """Delete events older than the retention period; returns how many went."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    # A queryset delete: the model's delete() refuses single rows on purpose.
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
