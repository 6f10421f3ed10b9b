"""Suggestions on the page: sources resolved through the register's aliases, a source added inline, and a new
incident drafted from the accepted suggestions (issue 15)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from verify.claims.entities import source_alias_add
from verify.claims.models import Claim, Source
from verify.incidents.models import Incident
from verify.suggestions import services

pytestmark = pytest.mark.django_db
URL = reverse("suggestions:report")
INLINE = reverse("suggestions:source_inline")

WIRE = (
    "Russian jets killed 11 civilians in Ariha on Sunday, according to the Syrian Observatory for Human Rights. "
    "Moscow denied the reports."
)
ARABIC = "قُتل 34 مدنياً في غارات جوية على أريحا يوم الأحد، وفق ما أحصى المرصد السوري لحقوق الإنسان."


@pytest.fixture
def sohr(places):
    source = factories.source("SOHR", kind=Source.Kind.MONITOR)
    source_alias_add(source=source, name="Syrian Observatory for Human Rights")
    source_alias_add(source=source, name="المرصد السوري لحقوق الإنسان")
    return source


def test_sources_resolve_through_aliases_in_both_languages(researcher, sohr, places):
    [english, denial] = services.suggest(WIRE, published_on=date(2015, 11, 30), user=researcher)
    assert english["source"] == sohr.pk and english["said_by"] == "Syrian Observatory for Human Rights"
    assert denial["source"] is None and denial["said_by"] == "Moscow" and denial["stance"] == "denies"
    [arabic] = services.suggest(ARABIC, published_on=date(2015, 11, 30), user=researcher)
    assert arabic["source"] == sohr.pk
    assert (arabic["killed_min"], arabic["place"], arabic["event_date"]) == (34, places["ariha"].pk, date(2015, 11, 29))


def test_generic_activists_are_not_a_named_group_of_activists(researcher, places):
    factories.source("Local activists, Idlib", kind=Source.Kind.LOCAL_ACTIVISTS)
    [s] = services.suggest("Activists said 4 people were killed in Ariha.", published_on=None, user=researcher)
    assert s["source"] is None and s["said_by"] == "Activists"


def test_a_restricted_source_is_not_resolved_for_an_outsider(researcher, places):
    factories.source("Secret Monitor", restricted_origin=True)
    [s] = services.suggest("Secret Monitor said 4 people were killed.", published_on=None, user=researcher)
    assert s["source"] is None


def test_a_provisional_toll_is_marked_in_the_excerpt(researcher, places):
    [s] = services.suggest(
        "At least 19 people were killed in Ariha and the toll could rise, rescuers said.",
        published_on=None,
        user=researcher,
    )
    assert s["excerpt"].endswith("[provisional toll: it could rise]") and s["provisional"] == "1"


def test_the_review_page_offers_to_add_a_missing_source(client, researcher, sohr, places):
    client.force_login(researcher)
    html = client.post(URL, {"text": WIRE, "published_on": "2015-11-30"}).content.decode()
    assert "Add “Moscow” to the register" in html
    assert "Add “Syrian Observatory for Human Rights” to the register" not in html  # resolved: SOHR
    assert "js/suggestions.js" in html


def test_inline_source_is_created_once(client, researcher, sohr):
    client.force_login(researcher)
    response = client.post(INLINE, {"name": "  Moscow ", "kind": "government"})
    assert response.status_code == 201
    created = Source.objects.get(name="Moscow")
    assert response.json() == {"pk": created.pk, "name": "Moscow", "created": True}
    again = client.post(INLINE, {"name": "moscow", "kind": "government"})
    assert again.status_code == 200 and again.json()["pk"] == created.pk
    alias = client.post(INLINE, {"name": "Syrian Observatory for Human Rights", "kind": "monitor"})
    assert alias.json() == {"pk": sohr.pk, "name": "SOHR", "created": False}
    assert Source.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": " ", "kind": "ngo"}, "name"),
        ({"name": "—", "kind": "ngo"}, "name"),
        ({"name": "X", "kind": "?"}, "kind"),
    ],
)
def test_inline_source_rejects_bad_input(client, researcher, data, field):
    client.force_login(researcher)
    response = client.post(INLINE, data)
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Source.objects.exists()


def test_inline_source_needs_a_researcher(client, viewer):
    client.force_login(viewer)
    assert client.post(INLINE, {"name": "Moscow", "kind": "government"}).status_code == 403
    assert client.get(INLINE).status_code in {403, 405}
    assert not Source.objects.exists()


def test_the_new_incident_is_drafted_from_the_suggestions(client, researcher, sohr, places):
    client.force_login(researcher)
    html = client.post(URL, {"text": WIRE, "published_on": "2015-11-30"}).content.decode()
    assert 'name="incident-title" value="Airstrike in Arīḩā, 29 November 2015"' in html
    assert 'name="incident-date_start" value="2015-11-29"' in html
    assert re.search(r'<option value="day" selected>', html)
    assert f'<option value="{places["ariha"].pk}" selected>' in html
    assert '<option value="airstrike" selected>' in html


def _accept_post(sohr, places, **incident):
    return {
        "step": "review",
        "count": "1",
        "published_on": "2016-01-04",
        "s0-accept": "on",
        "s0-source": sohr.pk,
        "s0-stance": "alleges",
        "s0-killed_min": "11",
        "s0-killed_max": "11",
        "s0-credibility": "3",
        "s0-event_date": "2015-11-29",
        "s0-event_date_precision": "day",
        "s0-place": places["ariha"].pk,
        "s0-attack_type": "barrel_bomb",
        **{f"incident-{k}": v for k, v in incident.items()},
    }


def test_a_new_incident_takes_the_accepted_facts_and_the_attacks_year(client, researcher, sohr, places):
    client.force_login(researcher)
    response = client.post(URL, _accept_post(sohr, places))  # no incident fields posted: drafted on saving
    incident = Incident.objects.get()
    assert response["Location"] == incident.get_absolute_url()
    assert incident.reference.startswith("SYR-2015-")  # the attack's year, not this year's
    assert (incident.date_start, incident.date_end, incident.date_precision) == (
        date(2015, 11, 29),
        date(2015, 11, 29),
        "day",
    )
    assert incident.place == places["ariha"] and incident.latitude == places["ariha"].latitude
    assert incident.attack_type == "barrel_bomb"
    assert incident.title == "Barrel bomb in Arīḩā, 29 November 2015"
    assert incident.claims.get().killed_min == 11


def test_the_researcher_edits_the_drafted_incident_before_saving(client, researcher, sohr, places):
    client.force_login(researcher)
    post = _accept_post(
        sohr,
        places,
        title="Ariha market, late November",
        date_start="2015-11-28",
        date_end="2015-11-29",
        date_precision="approx_day",
        place=places["idlib"].pk,
        latitude="",
        longitude="",
        attack_type="missile",
    )
    client.post(URL, post)
    incident = Incident.objects.get()
    assert incident.title == "Ariha market, late November"
    assert (incident.date_start, incident.date_end, incident.date_precision) == (
        date(2015, 11, 28),
        date(2015, 11, 29),
        "approx_day",
    )
    assert incident.place == places["idlib"] and incident.latitude == Decimal("35.930870")
    assert incident.attack_type == "missile"


def test_a_bad_drafted_incident_saves_nothing(client, researcher, sohr, places):
    client.force_login(researcher)
    post = _accept_post(sohr, places, title="", date_start="2015-11-29", date_precision="day", attack_type="missile")
    response = client.post(URL, post)
    assert response.status_code == 400
    assert not Incident.objects.exists() and not Claim.objects.exists()


def test_incident_draft_leaves_other_events_out_and_spans_the_dates(places):
    draft = services.incident_draft(
        [
            {
                "event_date": date(2015, 11, 29),
                "event_date_precision": "day",
                "place": places["ariha"].pk,
                "attack_type": "airstrike",
            },
            {
                "event_date": date(2015, 11, 30),
                "event_date_precision": "day",
                "place": places["ariha"].pk,
                "attack_type": "cluster_munition",
            },
            {
                "event_date": date(2015, 10, 1),
                "other_event": "1",
                "place": places["idlib"].pk,
                "attack_type": "chemical",
            },
        ]
    )
    assert (draft["date_start"], draft["date_end"], draft["date_precision"]) == (
        date(2015, 11, 29),
        date(2015, 11, 30),
        "approx_day",
    )
    assert draft["place"] == places["ariha"].pk and draft["attack_type"] == "cluster_munition"
    assert services.incident_draft([])["date_precision"] == "unknown"
