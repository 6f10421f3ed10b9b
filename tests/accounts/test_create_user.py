"""`manage.py create_user`: a real account with a role, and a one-time link instead of a password."""

import io
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from verify.accounts.models import AuditAction, AuditEvent


def _run(*args) -> str:
    out = io.StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_creates_a_researcher_whose_link_sets_the_password(db, client, desk):
    out = _run("nadia", "--role", "Researcher", "--first-name", "Nadia", "--group", desk.name)
    nadia = User.objects.get(username="nadia")
    assert not nadia.has_usable_password() and nadia.first_name == "Nadia"
    assert set(nadia.groups.values_list("name", flat=True)) == {"Researcher", desk.name}
    event = AuditEvent.objects.get(action=AuditAction.USER_INVITED, target="nadia")
    assert event.actor_name == "manage.py create_user" and event.detail["role"] == "Researcher"

    link = next(word for word in out.split() if word.startswith("http://127.0.0.1:8000/"))
    new = {"new_password1": "correct-horse-battery", "new_password2": "correct-horse-battery"}
    assert client.post(urlparse(link).path, new).status_code == 302
    nadia.refresh_from_db()
    assert nadia.check_password("correct-horse-battery")


def test_reviewer_is_told_about_the_second_factor(db, settings):
    settings.MFA_REQUIRED_ROLES = ["Reviewer"]
    assert "second factor" in _run("samir", "--role", "Reviewer", "--base-url", "https://verify.example.org/")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rita", "--role", "Viewer"), "already exists"),
        (("RITA", "--role", "Viewer"), "already exists"),
        (("new", "--role", "Viewer", "--group", "No such desk"), "No such group"),
        (("bad name!", "--role", "Viewer"), "username"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(researcher, args, message):
    before = User.objects.count()
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert User.objects.count() == before


def test_an_unknown_role_is_refused(db):
    with pytest.raises(CommandError):
        _run("someone", "--role", "Superhero")
    assert not User.objects.filter(username="someone").exists()
