"""Names created in restricted work (a source named with a claim on a restricted incident, a source or actor
added by a restricted import) are seen only by those who can see a record that uses them, until a visible
incident uses them too."""

import pytest
from django.urls import reverse

from tests import factories
from tests.imports.conftest import ARIHA_ROWS, places, run_import, verify_csv  # noqa: F401 - the places fixture
from verify.claims import services
from verify.claims.models import Actor, Source

pytestmark = pytest.mark.django_db
SECRET = "Informant network Z"


def pages(client) -> dict[str, str]:
    """Every place a source's or actor's name shows up."""
    public = factories.incident(created_by=factories.user())
    return {
        "register": client.get(reverse("claims:source_list")).content.decode(),
        "lookup": client.get(reverse("claims:source_lookup"), {"q": "a"}).content.decode(),
        "claim form": client.get(reverse("incidents:claim_create", args=[public.reference])).content.decode(),
        "filters": client.get(reverse("incidents:list")).content.decode(),
    }


@pytest.fixture
def secret_source(researcher, restricted_incident):
    claim = services.claim_create(
        user=researcher,
        incident=restricted_incident,
        data={"stance": "alleges", "credibility": "3"},
        new_source={"name": SECRET, "kind": "witness", "reliability": "F"},
    )
    assert claim.source.restricted_origin
    return claim.source


def test_a_source_named_on_a_restricted_incident_is_hidden_from_outsiders_of_its_group(
    client, researcher, researcher2, secret_source
):
    client.force_login(researcher2)
    for page, html in pages(client).items():
        assert SECRET not in html, page
    assert client.get(reverse("claims:source_detail", args=[secret_source.pk])).status_code == 404
    client.force_login(researcher)
    seen = pages(client)
    assert SECRET in seen["register"] and SECRET in seen["lookup"] and SECRET in seen["claim form"]
    assert client.get(reverse("claims:source_detail", args=[secret_source.pk])).status_code == 200


def test_the_source_is_released_once_a_visible_incident_uses_it(client, researcher, researcher2, secret_source):
    public = factories.incident(created_by=researcher)
    factories.claim(incident=public, source=secret_source)
    client.force_login(researcher2)
    assert SECRET in client.get(reverse("claims:source_lookup"), {"q": "Informant"}).content.decode()
    assert client.get(reverse("claims:source_detail", args=[secret_source.pk])).status_code == 200


def test_an_admin_sees_every_source(client, admin_user, secret_source):
    client.force_login(admin_user)
    assert SECRET in client.get(reverse("claims:source_list")).content.decode()


@pytest.mark.usefixtures("places")
def test_sources_and_actors_of_a_restricted_import_are_hidden_from_outsiders(client, researcher, researcher2, desk):
    from verify.imports import services as import_services

    researcher.groups.add(desk)
    rows = [ARIHA_ROWS[1] | {"source": SECRET, "perpetrator": "Unit 77"}]
    job = import_services.import_job_create(
        user=researcher,
        chunks=[verify_csv(rows).encode()],
        filename="r.csv",
        fmt="verify_csv",
        start=False,
        allowed_groups=[desk],
    )
    import_services.import_validate(job=job)
    job.refresh_from_db()
    import_services.import_confirm(job=job, good_rows_only=False, queue=False)
    import_services.import_commit(job=job)
    assert Source.objects.get(name=SECRET).restricted_origin and Actor.objects.get(name="Unit 77").restricted_origin
    client.force_login(researcher2)
    for page, html in pages(client).items():
        assert SECRET not in html and "Unit 77" not in html, page
    client.force_login(researcher)
    assert "Unit 77" in pages(client)["filters"]


@pytest.mark.usefixtures("places")
def test_a_public_import_adds_names_everyone_sees(researcher, researcher2):
    run_import(researcher, verify_csv(ARIHA_ROWS[1:2]).encode())
    assert not Source.objects.get(name="Amnesty International").restricted_origin
    assert Source.objects.visible_to(researcher2).filter(name="Amnesty International").exists()
