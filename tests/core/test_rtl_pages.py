"""The main pages render in Arabic, right to left, with the JavaScript catalog loaded before any page script."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def arabic_client(user) -> Client:
    client = Client()
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.status_code == 302
    return client


def test_pages_render_right_to_left_in_arabic(demo):
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.get(username="reviewer")
    client = arabic_client(reviewer)
    urls = [
        reverse("dashboard"),
        reverse("incidents:list"),
        reverse("incidents:detail", args=["SYR-2015-0001"]),
        reverse("incidents:duplicates"),
        reverse("incidents:labels"),
        reverse("maps:map"),
        reverse("review:queue"),
        reverse("review:mine"),
        reverse("review:notifications"),
        reverse("claims:source_list"),
        reverse("claims:actor_list"),
        reverse("gazetteer:list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html, url
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert scripts and scripts[0] == reverse("javascript-catalog"), url


def test_machine_values_stay_unlocalised_in_arabic(demo):
    """Arabic formats use a comma as the decimal separator: coordinates in data attributes and text must not."""
    from django.contrib.auth import get_user_model

    client = arabic_client(get_user_model().objects.get(username="researcher"))
    html = client.get(reverse("incidents:detail", args=["SYR-2015-0001"])).content.decode()
    lat = re.search(r'data-lat="([^"]+)"', html).group(1)
    assert re.fullmatch(r"-?\d+\.\d+", lat)
    assert re.search(r'<span dir="ltr">\d+\.\d+, \d+\.\d+</span>', html)
    places = client.get(reverse("gazetteer:list")).content.decode()
    assert re.search(r'<span class="coords" dir="ltr">\d+\.\d{4}, \d+\.\d{4}</span>', places)
