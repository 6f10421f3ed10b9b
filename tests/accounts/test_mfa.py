from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, enrol_totp, totp_code
from verify.accounts.models import AuditAction, AuditEvent


def test_reviewer_without_a_second_factor_is_sent_to_enrol(client, protected, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")


def test_enrolment_pages_stay_reachable(client, protected, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("mfa_index")).status_code == 200
    # allauth asks for the password again before adding a factor; that page is reachable too.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_sign_out_stays_reachable(client, protected, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_admin_is_required_too_but_researcher_is_not(client, protected, admin_user, researcher):
    client.force_login(admin_user)
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_index")
    client.force_login(researcher)
    assert client.get(reverse("dashboard")).status_code == 200


def test_reviewer_with_totp_goes_about_their_work(client, protected, reviewer):
    enrol_totp(reviewer)
    client.force_login(reviewer)
    assert client.get(reverse("incidents:list")).status_code == 200


def test_required_roles_come_from_the_setting(client, protected, reviewer):
    protected.MFA_REQUIRED_ROLES = ["Admin"]
    client.force_login(reviewer)
    assert client.get(reverse("incidents:list")).status_code == 200


def test_demo_mode_exempts_only_the_demo_accounts(client, protected, reviewer):
    from tests import factories

    protected.DEMO_MODE = True
    demo_reviewer = factories.user("reviewer", role="Reviewer")
    client.force_login(demo_reviewer)
    assert client.get(reverse("dashboard")).status_code == 200
    client.force_login(reviewer)
    assert client.get(reverse("dashboard")).status_code == 302


def test_totp_enrolment_through_the_page_is_audited(client, reviewer, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=reviewer, type=Authenticator.Type.TOTP).exists()
    assert AuditEvent.objects.filter(actor=reviewer, action=AuditAction.MFA_ADDED, detail__type="totp").exists()


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, reviewer):
    secret = enrol_totp(reviewer)
    response = client.post(reverse("login"), {"login": reviewer.username, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = str((int(totp_code(secret)) + 1) % 1_000_000).zfill(6)
    assert client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(reviewer.pk)


def test_the_admin_site_login_cannot_skip_the_second_factor(client, admin_user):
    """Django's own admin sign-in form would accept the password alone."""
    enrol_totp(admin_user)
    response = client.post(reverse("admin:login"), {"username": admin_user.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
