import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, enrol_totp
from verify.accounts.models import AuditAction, AuditEvent


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("role", ["researcher", "reviewer", "viewer", "outsider"])
def test_only_admins_manage_users(client, role, request, admin_user):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("user_list")).status_code == 403
    assert client.get(reverse("audit_list")).status_code == 403
    assert client.post(reverse("user_set_active", args=[admin_user.pk]), {"active": "0"}).status_code == 403


def test_user_management_needs_a_recent_password(protected, admin_user):
    enrol_totp(admin_user)
    client = Client()
    client.force_login(admin_user)
    response = client.get(reverse("user_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("user_list")).status_code == 200


def test_invite_creates_a_user_without_a_password_and_a_one_time_link(admin_client, desk, client):
    response = admin_client.post(
        reverse("user_invite"), {"username": "nadia", "first_name": "Nadia", "role": "Researcher", "groups": [desk.pk]}
    )
    assert response.status_code == 200
    nadia = User.objects.get(username="nadia")
    assert not nadia.has_usable_password()
    assert set(nadia.groups.values_list("name", flat=True)) == {"Researcher", "Sensitive desk"}
    link = response.context["link"]
    assert link.startswith("http://testserver/accounts/set-password/")
    assert AuditEvent.objects.filter(action=AuditAction.USER_INVITED, target="nadia").exists()

    new = {"new_password1": "correct-horse-battery", "new_password2": "correct-horse-battery"}
    assert client.post(link, new).status_code == 302
    nadia.refresh_from_db()
    assert nadia.check_password("correct-horse-battery")
    # The link works once.
    assert (
        client.post(
            link, {"new_password1": "another-long-password", "new_password2": "another-long-password"}
        ).status_code
        == 400
    )


def test_invite_refuses_a_taken_username_and_saves_nothing(admin_client, researcher):
    response = admin_client.post(reverse("user_invite"), {"username": researcher.username.upper(), "role": "Viewer"})
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert User.objects.filter(username__iexact=researcher.username).count() == 1


def test_set_password_refuses_a_short_password(admin_client, client):
    response = admin_client.post(reverse("user_invite"), {"username": "sami", "role": "Viewer"})
    response = client.post(response.context["link"], {"new_password1": "short-pw", "new_password2": "short-pw"})
    assert response.status_code == 200 and "at least 12 characters" in response.content.decode()


def test_set_role_and_groups(admin_client, researcher, desk):
    response = admin_client.post(reverse("user_edit", args=[researcher.pk]), {"role": "Reviewer", "groups": [desk.pk]})
    assert response.status_code == 302
    assert set(researcher.groups.values_list("name", flat=True)) == {"Reviewer", "Sensitive desk"}
    role = AuditEvent.objects.get(action=AuditAction.USER_ROLE)
    assert role.detail == {"from": "Researcher", "to": "Reviewer"} and role.target == researcher.username
    assert AuditEvent.objects.get(action=AuditAction.USER_GROUPS).detail == {"from": [], "to": ["Sensitive desk"]}


def test_admin_cannot_demote_themselves(admin_client, admin_user):
    response = admin_client.post(reverse("user_edit", args=[admin_user.pk]), {"role": "Viewer"})
    assert response.status_code == 200
    assert admin_user.groups.filter(name="Admin").exists()


def test_deactivate_ends_sessions_and_reactivate(admin_client, researcher):
    theirs = Client()
    assert theirs.post(reverse("login"), {"login": researcher.username, "password": PASSWORD}).status_code == 302
    admin_client.post(reverse("user_set_active", args=[researcher.pk]), {"active": "0"})
    researcher.refresh_from_db()
    assert not researcher.is_active
    assert theirs.get(reverse("dashboard")).status_code == 302
    admin_client.post(reverse("user_set_active", args=[researcher.pk]), {"active": "1"})
    researcher.refresh_from_db()
    assert researcher.is_active
    actions = list(AuditEvent.objects.filter(target=researcher.username).values_list("action", flat=True))
    assert AuditAction.USER_DEACTIVATED in actions and AuditAction.USER_REACTIVATED in actions


def test_reset_second_factor(admin_client, reviewer):
    enrol_totp(reviewer)
    admin_client.post(reverse("user_reset_mfa", args=[reviewer.pk]))
    assert not Authenticator.objects.filter(user=reviewer).exists()
    assert AuditEvent.objects.filter(action=AuditAction.MFA_RESET, target=reviewer.username).exists()


def test_public_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"username": "mallory", "password1": "long-password-1", "password2": "long-password-1"},
    )
    assert not User.objects.filter(username="mallory").exists()
    assert (
        response.status_code in (200, 302)
        and "closed" in client.get(reverse("account_signup")).content.decode().lower()
    )
