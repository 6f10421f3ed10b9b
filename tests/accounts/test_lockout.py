"""Item 17: nobody can lock someone else out, behind the TLS proxy or not."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import PASSWORD
from verify.accounts.models import AuditAction, AuditEvent

ATTACKER = "203.0.113.7"
VICTIM = "198.51.100.20"
PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return settings


def sign_in(client, username: str, password: str, address: str, *, forwarded: str | None = None):
    return client.post(
        reverse("login"),
        {"login": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded or address,
    )


def test_failures_from_one_address_do_not_lock_the_victim_out_elsewhere(client, behind_proxy, researcher):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in(client, researcher.username, "wrong-password-guess", ATTACKER)

    response = sign_in(client, researcher.username, PASSWORD, VICTIM)

    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_the_attacking_address_is_locked_even_with_the_right_password(client, behind_proxy, researcher, viewer):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in(client, researcher.username, "wrong-password-guess", ATTACKER)

    assert sign_in(client, viewer.username, PASSWORD, ATTACKER).status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, ip=ATTACKER).exists()


def test_a_spoofed_forwarded_address_is_ignored(client, behind_proxy, researcher):
    """The proxy appends the real address; what the client put before it does not change who is locked."""
    for i in range(behind_proxy.AXES_FAILURE_LIMIT):
        sign_in(client, researcher.username, "wrong-password-guess", ATTACKER, forwarded=f"192.0.2.{i}, {ATTACKER}")

    assert sign_in(client, researcher.username, PASSWORD, ATTACKER).status_code == 429


def test_a_username_is_only_throttled_after_failures_from_many_addresses(client, behind_proxy, researcher):
    limit = behind_proxy.LOGIN_USERNAME_FAILURE_LIMIT
    assert limit > behind_proxy.AXES_FAILURE_LIMIT, "one address alone must not be able to throttle its victim"
    for i in range(limit):
        sign_in(client, researcher.username, "wrong-password-guess", f"203.0.113.{i % 3 + 10}")

    response = sign_in(client, researcher.username, PASSWORD, VICTIM)

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_without_the_proxy_the_socket_address_is_used(client, settings, researcher):
    settings.BEHIND_TLS_PROXY = False
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"login": researcher.username, "password": "nope-nope-nope"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=VICTIM,
        )
    ok = client.post(reverse("login"), {"login": researcher.username, "password": PASSWORD}, REMOTE_ADDR=VICTIM)
    assert ok.status_code == 302
