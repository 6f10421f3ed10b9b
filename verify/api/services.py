"""Writes to API tokens: creation (the secret is returned once and never stored), use and revocation."""

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verify.api.models import ApiToken, TokenScope

TOKEN_START = "vfy_"  # noqa: S105  (a marker, not a secret)
PREFIX_CHARS = 8  # hex characters after TOKEN_START: the visible part
SECRET_BYTES = 32  # 256 bits of randomness after it
MAX_DAYS = 366
# last_used_at is written at most this often per token, so that a busy script does not write on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_secret(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split_token(token: str) -> str | None:
    """The lookup prefix of a presented token, or None if it is not shaped like one of ours."""
    if not token.startswith(TOKEN_START) or len(token) < len(TOKEN_START) + PREFIX_CHARS + 2:
        return None
    return token[: len(TOKEN_START) + PREFIX_CHARS]


def token_create(*, user, name: str, scope: str, expires_in_days: int | None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the full token text, which is shown once and never stored."""
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, e.g. the script that will use it.")
    if scope not in TokenScope.values:
        errors["scope"] = _("Choose read only or read and write.")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        errors["expires_in_days"] = _("A token expires after 1 to %(max)s days.") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    if scope == TokenScope.READ_WRITE and not _can_write_anything(user):
        raise ValidationError({"scope": _("Your role can only read: choose a read-only token.")})
    expires_at = timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
    for _attempt in range(5):
        prefix = TOKEN_START + secrets.token_hex(PREFIX_CHARS // 2)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = prefix + "_" + secrets.token_urlsafe(SECRET_BYTES)
    record = ApiToken.objects.create(
        user=user, name=name[:100], prefix=prefix, secret_hash=hash_secret(token), scope=scope, expires_at=expires_at
    )
    return record, token


def _can_write_anything(user) -> bool:
    return any(user.has_perm(p) for p in ("incidents.add_incident", "incidents.change_incident", "claims.add_claim"))


def token_authenticate(token: str) -> ApiToken | None:
    """The usable token matching this text (not revoked, not expired, its owner active), or None.

    Marks it used (at most once per LAST_USED_RESOLUTION)."""
    prefix = split_token(token)
    if prefix is None:
        return None
    record = ApiToken.objects.usable().select_related("user").filter(prefix=prefix).first()
    if record is None or not hmac.compare_digest(record.secret_hash, hash_secret(token)):
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> bool:
    """Revoke a token: its owner may revoke their own, an admin anyone's. Returns False if it already was."""
    if token.user_id != by.pk and not can_manage_all(by):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    return bool(updated)


def can_manage_all(user) -> bool:
    return user.is_superuser or user.has_perm("auth.change_user")
