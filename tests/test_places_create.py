import pytest

from verify.gazetteer.models import Place
from verify.gazetteer.services import gazetteer_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def rif_dimashq(db) -> Place:
    gazetteer_load()
    return Place.objects.governorates().get(name="Rif Dimashq")


def test_researcher_adds_a_place_found_by_its_other_spellings(client, researcher, rif_dimashq):
    client.force_login(researcher)
    response = client.post(
        "/places/new/",
        {
            "name": "Moadamiyet al-Sham",
            "name_ar": "معضمية الشام",
            "alternative_names": "Mouadamiyeh, Moadamiyeh",
            "kind": "locality",
            "governorate": rif_dimashq.pk,
            "latitude": "33.4611",
            "longitude": "36.1953",
        },
    )
    assert response.status_code == 302
    place = Place.objects.get(name="Moadamiyet al-Sham")
    assert place.created_by == researcher
    assert list(Place.objects.search("mouadamiyeh")) == [place]


def test_place_with_latitude_out_of_range_is_refused(client, researcher, rif_dimashq):
    client.force_login(researcher)
    before = Place.objects.count()
    response = client.post(
        "/places/new/",
        {"name": "Nowhere", "kind": "locality", "governorate": rif_dimashq.pk, "latitude": "200", "longitude": "36"},
    )
    assert response.status_code == 200
    assert "Latitude must be between -90 and 90." in response.content.decode()
    assert Place.objects.count() == before


def test_viewer_cannot_add_a_place(client, viewer):
    client.force_login(viewer)
    assert client.get("/places/new/").status_code == 403
