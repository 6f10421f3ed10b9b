"""Fast claim entry on the incident page: the inline form, source lookup, inline source creation, roles."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.incidents.test_views import claim_data
from verify.claims.models import Claim, Source

pytestmark = pytest.mark.django_db
INLINE = {"HTTP_X_REQUESTED_WITH": "claim-entry"}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(chosen, /, **overrides) -> dict:
    return {**claim_data(chosen), **overrides}


def post_inline(client, incident, data):
    return client.post(reverse("incidents:claim_create", args=[incident.reference]), data, **INLINE)


def test_the_incident_page_offers_the_inline_form_to_researchers_only(researcher, viewer, incident):
    url = reverse("incidents:claim_create", args=[incident.reference])
    page = client_for(researcher).get(incident.get_absolute_url()).content.decode()
    assert f'id="claim-entry-slot" data-src="{url}"' in page  # fetched when opened
    fragment = client_for(researcher).get(url, **INLINE)
    assert fragment.status_code == 200
    assert 'id="claim-entry-form"' in fragment.content.decode() and "<html" not in fragment.content.decode()

    html = client_for(viewer).get(incident.get_absolute_url()).content.decode()
    assert "claim-entry" not in html
    assert client_for(viewer).get(url, **INLINE).status_code == 403


def test_inline_entry_returns_the_updated_panel_with_the_new_claim_highlighted(researcher, incident):
    factories.claim(incident=incident, killed_min=3, killed_max=3, source=factories.source("Activists"))
    amnesty = factories.source("Amnesty")

    response = post_inline(client_for(researcher), incident, claim_data(amnesty, killed_min="49", killed_max="49"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="claims-panel"' in html
    assert "Claim from Amnesty added." in html
    assert "Activists: 3 killed vs Amnesty: 49 killed" in html
    assert "<html" not in html  # a fragment, not a page
    assert Claim.objects.filter(incident=incident, source=amnesty).exists()


def test_inline_entry_with_errors_returns_422_with_the_messages_and_saves_nothing(researcher, incident):
    source = factories.source()

    response = post_inline(client_for(researcher), incident, claim_data(source, killed_min="9", killed_max="2"))

    assert response.status_code == 422
    html = response.content.decode()
    assert "The claim was not saved." in html
    assert "The maximum killed cannot be lower than the minimum." in html
    assert 'value="9"' in html  # what was typed is kept
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"killed_min": "-1"}, "killed_min", "Ensure this value is greater than or equal to 0."),
        ({"latitude": "200", "longitude": "36"}, "latitude", "Latitude must be between -90 and 90."),
        ({"event_date": "2999-01-01"}, "event_date", "The date cannot be in the future."),
        ({"credibility": "9"}, "credibility", "Select a valid choice. 9 is not one of the available choices."),
        ({"source": ""}, "source", "Choose a source from the register, or name a new one."),
        (
            {"military_objective_present": "false", "military_objective_distance_m": "300"},
            "military_objective_distance_m",
            "A distance only makes sense if an objective is said to be present.",
        ),
    ],
)
def test_full_page_fallback_shows_clear_messages(researcher, incident, overrides, field, message):
    source = factories.source()

    response = client_for(researcher).post(
        reverse("incidents:claim_create", args=[incident.reference]), form_data(source, **overrides)
    )

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Claim.objects.exists()


def test_a_new_source_is_created_with_the_claim(researcher, incident):
    russia = factories.actor("Russian Aerospace Forces")
    data = form_data(
        factories.source(),
        source="",
        new_source_name="  Idlib   Civil Defence ",
        new_source_kind="first_responder",
        new_source_reliability="C",
        new_source_affiliation="",
    )

    response = post_inline(client_for(researcher), incident, data)

    assert response.status_code == 200
    source = Source.objects.get(name="Idlib Civil Defence")
    assert (source.kind, source.reliability, source.affiliation) == ("first_responder", "C", None)
    assert Claim.objects.get(incident=incident).source == source
    assert russia.pk  # unused affiliation stays unset


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"new_source_name": "amnesty international"}, "new_source_name", "is already in the register"),
        ({"new_source_name": "Someone", "source": "KEEP"}, "new_source_name", "not both"),
        ({"new_source_name": "Someone", "new_source_kind": ""}, "new_source_kind", "Say what kind of source"),
    ],
)
def test_new_source_mistakes_are_explained_and_nothing_is_saved(researcher, incident, extra, field, message):
    amnesty = factories.source("Amnesty International")
    data = form_data(amnesty, source="", new_source_kind="ngo", new_source_reliability="B")
    data.update(extra)
    if data.get("source") == "KEEP":
        data["source"] = amnesty.pk

    response = client_for(researcher).post(reverse("incidents:claim_create", args=[incident.reference]), data)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Claim.objects.exists()
    assert Source.objects.count() == 1


def test_viewer_cannot_add_claims_inline_or_by_page(viewer, incident):
    source = factories.source()
    client = client_for(viewer)

    assert client.get(reverse("incidents:claim_create", args=[incident.reference])).status_code == 403
    assert post_inline(client, incident, claim_data(source)).status_code == 403
    assert not Claim.objects.exists()


def test_outsider_gets_404_for_a_restricted_incidents_claim_entry(researcher2, restricted_incident):
    response = post_inline(client_for(researcher2), restricted_incident, claim_data(factories.source()))

    assert response.status_code == 404
    assert not Claim.objects.exists()


def test_script_typed_into_claim_text_is_shown_escaped_in_the_matrix(researcher, viewer, incident):
    script = "<script>alert(1)</script>"
    data = form_data(
        factories.source(), source="", new_source_name=f"Src {script}", new_source_kind="other", excerpt=script
    )
    data["munition"] = f"{script} rocket"
    post_inline(client_for(researcher), incident, data)
    factories.claim(incident=incident, munition="barrel bomb")

    html = client_for(viewer).get(incident.get_absolute_url()).content.decode()

    assert script not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Claim.objects.get(excerpt=script)  # saved verbatim


def test_source_lookup_returns_matching_names_as_json(researcher):
    factories.source("Amnesty International")
    factories.source("Human Rights Watch")
    ministry = factories.source("Russian Ministry of Defence", affiliation=factories.actor("Russian forces"))

    response = client_for(researcher).get(reverse("claims:source_lookup"), {"q": "  ministry "})

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "id": ministry.pk,
                "name": "Russian Ministry of Defence",
                "kind": "Other",
                "reliability": "B",
                "party_to_conflict": True,
            }
        ]
    }


def test_source_lookup_is_closed_to_outsiders(outsider):
    factories.source("Amnesty International")

    assert client_for(outsider).get(reverse("claims:source_lookup"), {"q": "a"}).status_code == 403
    assert Client().get(reverse("claims:source_lookup")).status_code == 302
