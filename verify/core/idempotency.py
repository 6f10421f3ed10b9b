"""One-time keys against double submits: a creation form carries a fresh random key in a hidden field, and the
first POST with that key records what it created; any later POST with the same key (a double click, a browser
resending) gets that record's address instead of creating again.

The key row is inserted in the same transaction as the object. A second request with the same key waits on the
unique index until the first commits, then finds the record; if the first failed and rolled back, the second
simply creates. Keys are per user, so one person's key means nothing to another.
"""

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, transaction

from verify.core.models import IdempotencyKey

FIELD = "idempotency_key"


def new_key() -> str:
    return uuid.uuid4().hex


class IdempotentFormMixin(forms.Form):
    """Adds the hidden one-time key; render it with `{{ form.idempotency_key }}`."""

    idempotency_key = forms.RegexField(
        regex=r"^[0-9a-f]{32}$", required=False, initial=new_key, widget=forms.HiddenInput
    )


def create_once(*, user, key: str, create: Callable[[], str]) -> tuple[str, bool]:
    """Run `create` (which returns the created object's URL) once for this user and key.

    Returns the URL and whether it was created now. Without a key (an old form, a script) it just creates."""
    if not key:
        return create(), True
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(user=user, key=key)
            record.url = create()
            record.save(update_fields=["url", "updated_at"])
            return record.url, True
    except IntegrityError:
        earlier = IdempotencyKey.objects.filter(user=user, key=key).exclude(url="").first()
        if earlier is None:
            raise
        return earlier.url, False
