"""Search in any spelling: "ادلب", "إدلب", "Idleb" and "idlib" find the same incidents in the search box and in the
Place filter (issue 14). Runs on SQLite, and on PostgreSQL (where a trigram index answers it) when DATABASE_URL
points there."""

import pytest
from django.db import connection
from django.urls import reverse

from tests import factories
from verify.gazetteer.models import Place
from verify.incidents.models import Incident

SPELLINGS = ["ادلب", "إدلب", "Idleb", "idlib", "IDLIB", "إِدْلِب"]


@pytest.fixture
def idlib_incidents(gazetteer, researcher):
    governorate = Place.objects.governorates().get(name="Idlib")
    town = Place.objects.filter(governorate=governorate).exclude(name="Idlib").first()
    aleppo = Place.objects.governorates().get(name="Aleppo")
    return {
        "city": factories.incident(created_by=researcher, title="Strike on a bakery", place=governorate),
        "town": factories.incident(created_by=researcher, title="Shelling of a school", place=town),
        "typed": factories.incident(created_by=researcher, title="غارة على سوق في مدينة إدلب", summary=""),
        "elsewhere": factories.incident(created_by=researcher, title="Strike on a market", place=aleppo),
    }


def _listed(client, **params) -> set[int]:
    response = client.get(reverse("incidents:list"), params)
    assert response.status_code == 200
    return {i.pk for i in response.context["page"].object_list}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_finds_the_same_incidents_in_the_search_box(client, viewer, idlib_incidents, spelling):
    client.force_login(viewer)

    found = _listed(client, q=spelling)

    expected = {idlib_incidents[k].pk for k in ("city", "town", "typed")}
    assert found == expected


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_search_box_and_the_place_filter_agree(client, viewer, idlib_incidents, spelling):
    client.force_login(viewer)

    by_place = _listed(client, place=spelling)
    by_search = _listed(client, q=spelling)

    assert by_place == {idlib_incidents[k].pk for k in ("city", "town")}
    # The search box also finds the incident whose title names the city but has no gazetteer place.
    assert by_search - by_place == {idlib_incidents["typed"].pk}


def test_search_text_follows_edits(researcher, gazetteer):
    incident = factories.incident(created_by=researcher, title="Strike on a bakery")
    assert not Incident.objects.search("أريحا").filter(pk=incident.pk).exists()

    incident.title = "غارة على مخبز في أريحا"
    incident.save(update_fields=["title"])

    assert Incident.objects.search("اريحا").filter(pk=incident.pk).exists()
    assert Incident.objects.search("أريحا").filter(pk=incident.pk).exists()
    assert not Incident.objects.search("bakery").filter(pk=incident.pk).exists()


def test_arabic_indic_digits_find_latin_digits(researcher, gazetteer):
    incident = factories.incident(created_by=researcher, title="34 civilians killed in a market strike")

    assert Incident.objects.search("٣٤ civilians").filter(pk=incident.pk).exists()


def test_search_with_only_punctuation_or_marks_is_no_filter(researcher, gazetteer):
    factories.incident(created_by=researcher, title="Strike")

    assert Incident.objects.search("  ").count() == Incident.objects.count()
    assert Incident.objects.search("ًٌ").count() == Incident.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_postgresql_has_one_trigram_index_on_the_folded_column(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'incidents_incident'")
        indexes = dict(cursor.fetchall())
    assert "gin_trgm_ops" in indexes["incident_search_text_trgm"]
    assert "incident_title_trgm" not in indexes
