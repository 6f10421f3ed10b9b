"""The offline gazetteer: Syria's governorates and places, found by any common spelling."""

import pytest
from django.urls import reverse

from verify.gazetteer.models import Place
from verify.gazetteer.services import gazetteer_load
from verify.lib.gazetteer import GOVERNORATES, distance_m, normalize_name

SEARCH_URL = reverse("gazetteer:search")


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


# --- loading --------------------------------------------------------------------------------------


def test_gazetteer_load_creates_the_fourteen_governorates(gazetteer):
    governorates = Place.objects.governorates()

    assert governorates.count() == 14
    assert names(governorates) == {g.name for g in GOVERNORATES}
    assert not governorates.filter(governorate__isnull=False).exists()


def test_gazetteer_load_creates_hundreds_of_places_under_their_governorates(gazetteer):
    places = Place.objects.exclude(kind=Place.Kind.GOVERNORATE)

    assert places.count() >= 200
    assert gazetteer.created == places.count() + 14
    assert places.filter(governorate__isnull=False).count() >= 200


def test_gazetteer_load_a_second_time_creates_nothing(gazetteer):
    total = Place.objects.count()

    again = gazetteer_load()

    assert again.created == 0
    assert again.updated == 0
    assert again.unchanged == total
    assert Place.objects.count() == total


def test_gazetteer_load_restores_a_changed_coordinate(gazetteer):
    idlib = Place.objects.governorates().get(name="Idlib")
    Place.objects.filter(pk=idlib.pk).update(latitude="10.000000")

    again = gazetteer_load()

    idlib.refresh_from_db()
    assert again.updated == 1
    assert float(idlib.latitude) == pytest.approx(35.75)


# --- search ---------------------------------------------------------------------------------------


def test_search_for_idleb_finds_idlib(gazetteer):
    assert {"Idlib"} <= names(Place.objects.search("Idleb"))


def test_search_in_arabic_finds_idlib(gazetteer):
    found = Place.objects.search("إدلب")

    assert found.filter(name="Idlib", kind=Place.Kind.GOVERNORATE).exists()
    assert found.exclude(kind=Place.Kind.GOVERNORATE).filter(name="Idlib").exists()


def test_search_for_ariha_finds_the_town_in_idlib_governorate(gazetteer):
    ariha = Place.objects.search("Ariha").get(name="Arīḩā")

    assert ariha.governorate.name == "Idlib"
    assert str(ariha) == "Arīḩā (Idlib)"


def test_search_for_deir_ezzor_finds_deir_ez_zor(gazetteer):
    assert "Deir ez-Zor" in names(Place.objects.search("Deir Ezzor"))
    assert "Deir ez-Zor" in names(Place.objects.search("deir ez zor"))
    assert "Deir ez-Zor" in names(Place.objects.search("DEIREZZOR"))


def test_search_ignores_case_and_accents(gazetteer):
    assert "Idlib" in names(Place.objects.search("IDLÎB"))


def test_empty_search_finds_nothing(gazetteer):
    assert not Place.objects.search("").exists()
    assert not Place.objects.search("   ").exists()
    assert not Place.objects.search("-'").exists()


def test_search_for_a_name_that_is_not_in_syria_finds_nothing(gazetteer):
    assert not Place.objects.search("Timbuktu").exists()


# --- normalize_name and distance_m ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Idlib", "idlib"),
        ("IDLEB", "idleb"),
        ("Idléb", "idleb"),
        ("Arīḩā", "ariha"),
        ("Deir ez-Zor", "deir ez zor"),
        ("Dar'a", "dara"),
        ("Ma\u2019arrat al-Nu\u2019man", "maarrat al numan"),
        ("  Al-Hasakah  ", "al hasakah"),
        ("Rif_Dimashq", "rif dimashq"),
        ("Straße", "strasse"),
        ("إِدْلِب", "ادلب"),
        ("إدلب", "ادلب"),
        ("", ""),
    ],
)
def test_normalize_name_folds_spellings(raw, expected):
    assert normalize_name(raw) == expected


def test_normalize_name_gives_one_form_for_different_spellings_of_one_place():
    assert normalize_name("Deir ez-Zor") == normalize_name("DEIR EZ ZOR") == normalize_name("Deir  ez_Zor")


def test_distance_from_ariha_to_idlib_is_about_13_km():
    metres = distance_m(35.81374, 36.60964, 35.9306, 36.6339)

    assert metres == pytest.approx(13_200, abs=500)


def test_distance_is_symmetric_and_zero_to_itself():
    assert distance_m(35.81374, 36.60964, 35.81374, 36.60964) == 0
    assert distance_m(35.81374, 36.60964, 35.9306, 36.6339) == pytest.approx(
        distance_m(35.9306, 36.6339, 35.81374, 36.60964)
    )


def test_distance_from_damascus_to_aleppo_is_about_310_km():
    assert distance_m(33.5138, 36.2765, 36.2021, 37.1343) == pytest.approx(310_000, rel=0.03)


# --- the JSON search view -------------------------------------------------------------------------


def test_viewer_search_json_for_idleb_returns_idlib(client, viewer, gazetteer):
    client.force_login(viewer)

    response = client.get(SEARCH_URL, {"q": "Idleb"})

    assert response.status_code == 200
    results = response.json()["results"]
    idlib = [r for r in results if r["name"] == "Idlib"]
    assert idlib
    assert {r["kind"] for r in idlib} == {Place.Kind.GOVERNORATE, Place.Kind.CITY}
    assert all(r["governorate"] == "Idlib" for r in idlib)
    city = next(r for r in idlib if r["kind"] == Place.Kind.CITY)
    assert city["latitude"] == pytest.approx(35.93, abs=0.01)
    assert city["longitude"] == pytest.approx(36.63, abs=0.01)


def test_search_json_for_an_empty_query_returns_no_results(client, viewer, gazetteer):
    client.force_login(viewer)

    response = client.get(SEARCH_URL, {"q": ""})

    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_search_json_returns_at_most_twenty_results(client, viewer, gazetteer):
    client.force_login(viewer)

    response = client.get(SEARCH_URL, {"q": "a"})

    assert len(response.json()["results"]) == 20


def test_outsider_cannot_search_places(client, outsider, gazetteer):
    client.force_login(outsider)

    response = client.get(SEARCH_URL, {"q": "Idleb"})

    assert response.status_code == 403
    assert b"Idlib" not in response.content


def test_anonymous_place_search_is_redirected_to_login(client, gazetteer):
    response = client.get(SEARCH_URL, {"q": "Idleb"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
