"""User and role management by admins. Every change is audited in the same transaction."""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from verify.accounts import roles
from verify.accounts.audit import audit_record
from verify.accounts.models import AuditAction


def set_password_path(user: User) -> str:
    """A one-time link: the token stops working as soon as the password changes."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("set_password", args=[uid, default_token_generator.make_token(user)])


def _apply_access(user: User, *, role: str, groups) -> None:
    user.groups.clear()
    if role:
        user.groups.add(Group.objects.get(name=role))
    user.groups.add(*groups)


@transaction.atomic
def user_invite(
    *,
    request: HttpRequest | None,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    groups,
    actor_name: str = "",
) -> tuple[User, str]:
    user = User(username=username, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _apply_access(user, role=role, groups=groups)
    audit_record(
        action=AuditAction.USER_INVITED,
        request=request,
        actor_name=actor_name,
        target=username,
        detail={"role": role, "groups": sorted(g.name for g in groups)},
    )
    return user, set_password_path(user)


@transaction.atomic
def user_set_access(*, request: HttpRequest, user: User, role: str, groups) -> None:
    old_role = user.groups.filter(name__in=list(roles.ROLES)).values_list("name", flat=True).first() or ""
    old_groups = sorted(user.groups.exclude(name__in=list(roles.ROLES)).values_list("name", flat=True))
    new_groups = sorted(g.name for g in groups)
    _apply_access(user, role=role, groups=groups)
    if old_role != role:
        audit_record(
            action=AuditAction.USER_ROLE, request=request, target=user.username, detail={"from": old_role, "to": role}
        )
    if old_groups != new_groups:
        audit_record(
            action=AuditAction.USER_GROUPS,
            request=request,
            target=user.username,
            detail={"from": old_groups, "to": new_groups},
        )


@transaction.atomic
def user_set_active(*, request: HttpRequest, user: User, active: bool) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        for session in UserSession.objects.filter(user=user):
            session.end()
    action = AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED
    audit_record(action=action, request=request, target=user.username)


@transaction.atomic
def user_reset_mfa(*, request: HttpRequest, user: User) -> int:
    """Removes every second factor (lost phone): the user must enrol again if their role requires one."""
    removed, _ = Authenticator.objects.filter(user=user).delete()
    audit_record(action=AuditAction.MFA_RESET, request=request, target=user.username, detail={"removed": removed})
    return removed


def user_password_link(*, request: HttpRequest, user: User) -> str:
    audit_record(action=AuditAction.USER_SET_PASSWORD_LINK, request=request, target=user.username)
    return set_password_path(user)
