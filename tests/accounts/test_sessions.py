import time

from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD
from verify.accounts.middleware import LAST_SEEN_KEY
from verify.accounts.models import AuditAction, AuditEvent


def signed_in(user, address: str = "127.0.0.1", agent: str = "Browser") -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    response = client.post(reverse("login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def age_session(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_idle_session_is_signed_out(researcher, settings):
    settings.SESSION_IDLE_TIMEOUT = 1800
    client = signed_in(researcher)
    age_session(client, 1801)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.IDLE_TIMEOUT, actor=researcher).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).exists()


def test_active_session_is_kept(researcher, settings):
    settings.SESSION_IDLE_TIMEOUT = 1800
    client = signed_in(researcher)
    age_session(client, 1700)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5  # the clock restarted


def test_session_list_shows_device_address_and_last_seen(researcher):
    signed_in(researcher, "198.51.100.4", "Firefox on a laptop")
    client = signed_in(researcher, "203.0.113.9", "Chromium on a phone")
    age_session(client, 120)
    client.get(reverse("dashboard"))  # refreshes last seen
    page = client.get(reverse("usersessions_list")).content.decode()
    assert "198.51.100.4" in page and "Firefox on a laptop" in page
    assert "203.0.113.9" in page and "Chromium on a phone" in page


def test_ending_the_other_sessions_signs_them_out(researcher):
    other = signed_in(researcher, "198.51.100.4")
    client = signed_in(researcher, "203.0.113.9")
    response = client.post(reverse("usersessions_list"), {"action": "end"})
    assert response.status_code == 302
    assert other.get(reverse("dashboard")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_changing_the_password_ends_the_other_sessions(researcher):
    other = signed_in(researcher, "198.51.100.4")
    client = signed_in(researcher, "203.0.113.9")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-brand-new-long-pass", "password2": "a-brand-new-long-pass"},
    )
    assert response.status_code == 302, response.content.decode()[:800]
    assert UserSession.objects.filter(user=researcher).count() == 1
    assert other.get(reverse("dashboard")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, detail__ended__gte=1).exists()
