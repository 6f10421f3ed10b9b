"""The help page explains every grade, scale value, stance and status, from the same choices the badges use."""

import pytest
from django.urls import reverse

from verify.claims.models import Stance
from verify.core.choices import Credibility, Reliability
from verify.incidents.models import Grade, Status


def test_help_needs_sign_in(client, db):
    response = client.get(reverse("help"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_every_grade_and_scale_value_is_explained(client, viewer):
    client.force_login(viewer)
    page = client.get(reverse("help")).content.decode()
    for value, label in Grade.choices:
        assert f'id="grade-{value}"' in page and str(label) in page
    for choices, prefix in ((Reliability, "reliability"), (Credibility, "credibility"), (Stance, "stance")):
        for value in choices.values:
            assert f'id="{prefix}-{value}"' in page, (prefix, value)
    for value, _label in Status.choices:
        assert f'id="status-{value}"' in page


@pytest.mark.parametrize("language", ["en", "ar"])
def test_help_is_linked_from_every_page_header(client, viewer, language):
    client.force_login(viewer)
    client.cookies["django_language"] = language
    page = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'href="{reverse("help")}"' in page


def test_grade_badges_link_to_their_definition(client, researcher, incident):
    client.force_login(researcher)
    page = client.get(reverse("incidents:detail", args=[incident.reference])).content.decode()
    assert f'href="{reverse("help")}#grade-{incident.grade}"' in page
