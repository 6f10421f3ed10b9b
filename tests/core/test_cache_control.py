"""Pages shown to a signed-in user are not kept by browsers or shared caches; static files keep their caching."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["researcher", "viewer", "reviewer"])
def test_record_pages_are_private_and_not_stored(request, role, incident):
    client = signed_in(request.getfixturevalue(role))
    for url in (reverse("incidents:list"), incident.get_absolute_url(), reverse("incidents:duplicates"), "/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store", url


def test_an_explicit_cache_control_is_kept(researcher):
    response = signed_in(researcher).get(reverse("maps:export_csv"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_static_files_keep_their_own_caching(settings, researcher):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = signed_in(researcher).get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
