"""The interface language: the browser's for anonymous pages, a saved choice per person, a switch in the header."""

import pytest
from django.urls import reverse

from verify.accounts.models import Preferences


def _html_tag(response) -> str:
    body = response.content.decode()
    return body[body.index("<html") : body.index(">", body.index("<html")) + 1]


def test_anonymous_sign_in_page_follows_the_browser(client, db):
    english = client.get(reverse("login"))
    arabic = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")

    assert 'lang="en" dir="ltr"' in _html_tag(english)
    assert 'lang="ar" dir="rtl"' in _html_tag(arabic)


def test_switching_saves_the_choice_and_comes_back_to_the_page(client, researcher):
    client.force_login(researcher)
    page = reverse("incidents:list") + "?q=market"

    response = client.post(reverse("set_language"), {"language": "ar", "next": page})

    assert response.status_code == 302
    assert response["Location"] == page
    assert Preferences.objects.get(user=researcher).language == "ar"
    assert 'dir="rtl"' in _html_tag(client.get(page))


def test_the_saved_choice_follows_the_person_to_a_new_browser(client, researcher):
    Preferences.objects.create(user=researcher, language="ar")

    client.post(reverse("login"), {"login": researcher.username, "password": "pw-for-tests-123"})

    assert 'lang="ar" dir="rtl"' in _html_tag(client.get(reverse("dashboard")))


def test_the_saved_choice_wins_over_the_browser(client, researcher):
    Preferences.objects.create(user=researcher, language="en")
    client.post(reverse("login"), {"login": researcher.username, "password": "pw-for-tests-123"})

    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="ar")

    assert 'lang="en" dir="ltr"' in _html_tag(response)


@pytest.mark.parametrize("code", ["fr", "", "ar<script>", "../../etc"])
def test_an_unknown_language_changes_nothing(client, researcher, code):
    client.force_login(researcher)

    response = client.post(reverse("set_language"), {"language": code, "next": "/incidents/"})

    assert response.status_code == 302
    assert not Preferences.objects.filter(user=researcher).exists()
    assert "verify_language" not in response.cookies


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_switch_never_redirects_off_site(client, researcher, next_url):
    client.force_login(researcher)

    response = client.post(reverse("set_language"), {"language": "ar", "next": next_url})

    assert response["Location"] == "/"


def test_an_anonymous_switch_sets_the_cookie_only(client, db):
    response = client.post(reverse("set_language"), {"language": "ar", "next": reverse("login")})

    assert response.cookies["verify_language"].value == "ar"
    assert Preferences.objects.count() == 0
    assert 'dir="rtl"' in _html_tag(client.get(reverse("login")))


def test_the_switch_is_a_post(client, researcher):
    client.force_login(researcher)

    assert client.get(reverse("set_language"), {"language": "ar"}).status_code == 405


def test_the_header_offers_the_other_language(client, researcher):
    client.force_login(researcher)

    body = client.get(reverse("dashboard")).content.decode()

    assert 'name="language" value="ar"' in body
    assert ">العربيّة<" in body  # Django's own name of the language, with its shadda
