"""Personal API tokens: hashed at rest, shown once, scope, expiry, revocation, last use, and the account page."""

import datetime
import hashlib

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from verify.api import services
from verify.api.models import ApiToken


def _client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_a_hash_is_stored(db, researcher):
    token, secret = services.token_create(user=researcher, name="scraper", scope="read", expires_in_days=30)
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith(stored.prefix + "_")
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get(pk=token.pk))
    assert len(secret) > 40


def test_scope_expiry_revocation_and_last_use(db, researcher, admin_user):
    token, secret = services.token_create(user=researcher, name="read", scope="read", expires_in_days=30)
    api = _client(secret)
    assert token.last_used_at is None
    assert api.get("/api/v1/incidents/").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    refused = api.post("/api/v1/incidents/", {"title": "x"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "token_read_only"

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = api.get("/api/v1/incidents/")
    assert expired.status_code == 401 and expired.json()["code"] == "authentication_failed"

    other, other_secret = services.token_create(user=researcher, name="rw", scope="read_write", expires_in_days=30)
    assert _client(other_secret).get("/api/v1/incidents/").status_code == 200
    services.token_revoke(token=other, by=admin_user)  # an admin may revoke anyone's
    assert _client(other_secret).get("/api/v1/incidents/").status_code == 401
    # A wrong secret with a real prefix is refused.
    _third, third_secret = services.token_create(user=researcher, name="t", scope="read", expires_in_days=30)
    assert _client(third_secret[:-2] + "xx").get("/api/v1/incidents/").status_code == 401


def test_a_viewer_cannot_have_a_write_token(db, viewer):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.token_create(user=viewer, name="w", scope="read_write", expires_in_days=30)


def test_the_account_page_needs_the_password_again_and_shows_the_token_once(db, researcher, settings):
    settings.SENSITIVE_ACTION_REAUTHENTICATION = True
    client = Client()
    client.force_login(researcher)
    assert client.get("/accounts/tokens/").status_code == 200
    asked = client.post("/accounts/tokens/new/", {"name": "n", "scope": "read", "expires_in_days": "30"})
    assert asked.status_code == 302 and "reauthenticate" in asked["Location"]
    assert not ApiToken.objects.exists()
    settings.SENSITIVE_ACTION_REAUTHENTICATION = False
    made = client.post("/accounts/tokens/new/", {"name": "n", "scope": "read", "expires_in_days": "30"})
    assert made.status_code == 200
    token = ApiToken.objects.get()
    assert token.prefix in made.content.decode()
    listed = client.get("/accounts/tokens/").content.decode()
    assert token.prefix in listed
    assert "vfy_" in listed and made.context["secret"] not in listed


def test_only_admins_revoke_other_peoples_tokens(db, researcher, researcher2, admin_user):
    token, _secret = services.token_create(user=researcher, name="n", scope="read", expires_in_days=30)
    other = Client()
    other.force_login(researcher2)
    assert other.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    admin = Client()
    admin.force_login(admin_user)
    assert token.prefix in admin.get("/accounts/tokens/").content.decode()
    assert admin.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_rate_limit_per_token_says_when_to_retry(db, researcher, settings, monkeypatch):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/min", "token_write": "1/min", "user": "2/min", "user_write": "1/min"},
    }
    from rest_framework.throttling import SimpleRateThrottle

    from verify.api.throttling import TokenRateThrottle, UserRateThrottle

    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    old = SimpleRateThrottle.THROTTLE_RATES
    # monkeypatch puts back exactly what was there (no class attribute left behind on the subclasses)
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", rates, raising=False)
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates, raising=False)
    try:
        _token, secret = services.token_create(user=researcher, name="n", scope="read", expires_in_days=30)
        api = _client(secret)
        assert api.get("/api/v1/labels/").status_code == 200
        assert api.get("/api/v1/labels/").status_code == 200
        limited = api.get("/api/v1/labels/")
        assert limited.status_code == 429
        assert int(limited["Retry-After"]) > 0
        assert limited.json()["code"] == "throttled"
        # Another token of the same user has its own bucket.
        _t2, secret2 = services.token_create(user=researcher, name="m", scope="read", expires_in_days=30)
        assert _client(secret2).get("/api/v1/labels/").status_code == 200
    finally:
        assert SimpleRateThrottle.THROTTLE_RATES is old
