"""Item 17: nobody can lock someone else out, behind the TLS proxy or not."""

from datetime import timedelta

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


def test_the_attempt_before_the_lockout_warns_that_one_is_left(client, behind_proxy, researcher):
    limit = behind_proxy.AXES_FAILURE_LIMIT
    for _ in range(limit - 2):
        response = sign_in(client, researcher.username, "wrong-password-guess", ATTACKER)
    assert response.status_code == 200
    assert "last-attempt" not in response.content.decode()

    response = sign_in(client, researcher.username, "wrong-password-guess", ATTACKER)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="alert last-attempt"' in page and "One attempt left" in page
    # Another address has all its attempts, and a first look at the page warns of nothing.
    assert "last-attempt" not in sign_in(client, researcher.username, "wrong-again", VICTIM).content.decode()
    assert "last-attempt" not in client.get(reverse("login")).content.decode()


def test_the_lockout_page_says_when_to_try_again_and_links_back_to_sign_in(client, behind_proxy, researcher):
    from axes.models import AccessAttempt
    from django.utils import formats

    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        response = sign_in(client, researcher.username, "wrong-password-guess", ATTACKER)

    assert response.status_code == 429
    page = response.content.decode()
    latest = AccessAttempt.objects.get(ip_address=ATTACKER).attempt_time
    until = latest + timedelta(hours=behind_proxy.AXES_COOLOFF_TIME)
    assert f"{formats.date_format(until, 'DATETIME_FORMAT')}</time> UTC" in page
    assert f'datetime="{until.isoformat()}"' in page
    assert "in 59\xa0minutes" in page or "in 1\xa0hour" in page
    assert f'href="{reverse("login")}"' in page and "Back to sign in" in page

    # The time follows axes' record of the latest failure, whatever it is when the page is shown.
    AccessAttempt.objects.filter(ip_address=ATTACKER).update(attempt_time=latest - timedelta(minutes=30))
    moved = sign_in(client, researcher.username, PASSWORD, ATTACKER)
    assert moved.status_code == 429
    later = AccessAttempt.objects.get(ip_address=ATTACKER).attempt_time
    assert f'datetime="{(later + timedelta(hours=1)).isoformat()}"' in moved.content.decode()


def test_the_lockout_page_in_arabic_gives_the_time_in_arabic(client, behind_proxy, researcher):
    from axes.models import AccessAttempt
    from django.utils import formats, translation

    client.cookies["verify_language"] = "ar"
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        response = sign_in(client, researcher.username, "wrong-password-guess", ATTACKER)

    until = AccessAttempt.objects.get(ip_address=ATTACKER).attempt_time + timedelta(hours=1)
    with translation.override("ar"):
        when = formats.date_format(until, "DATETIME_FORMAT")
    assert response.status_code == 429 and 'lang="ar"' in response.content.decode()
    assert when in response.content.decode()
