"""seed_bench makes believable synthetic data; the map tiles and the CSP follow the settings."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from tests import factories
from verify.claims.models import Claim
from verify.core.tiles import tile_csp_source
from verify.gazetteer.models import Place
from verify.incidents.models import Incident
from verify.lib.gazetteer import distance_m
from verify.maps.synthetic import REFERENCE_PREFIX


@pytest.fixture
def towns(db) -> list[Place]:
    governorate = factories.place("Idlib", kind=Place.Kind.GOVERNORATE)
    return [
        factories.place("Ariha", governorate=governorate, population=40_000),
        factories.place(
            "Douma", governorate=governorate, population=110_000, latitude=Decimal("33.57"), longitude=Decimal("36.40")
        ),
    ]


def test_seed_bench_adds_incidents_with_about_three_claims_around_real_places(towns):
    call_command("seed_bench", 300, "--batch-size", 70, verbosity=0)

    incidents = Incident.objects.filter(reference__startswith=f"{REFERENCE_PREFIX}-")
    assert incidents.count() == 300
    claims = Claim.objects.filter(incident__in=incidents).count()
    assert 2.5 <= claims / 300 <= 3.5
    assert not incidents.annotate(n=Count("claims")).filter(n=0).exists()
    for incident in incidents.select_related("place")[:100]:
        assert incident.place in towns
        # Spread by the stated precision, never beyond a few precision radii (8 km at most).
        place = incident.place
        far = distance_m(
            float(incident.latitude), float(incident.longitude), float(place.latitude), float(place.longitude)
        )
        assert far < 5 * min(incident.precision_radius_m, 8_000) + 1
        assert incident.date_start <= incident.date_end
        incident.full_clean()  # every row would pass the model's own validation
    for claim in Claim.objects.filter(incident__in=incidents)[:200]:
        claim.full_clean()


def test_seed_bench_twice_adds_more_without_reusing_references(towns):
    call_command("seed_bench", 20, verbosity=0)
    call_command("seed_bench", 20, verbosity=0)
    refs = list(Incident.objects.values_list("reference", flat=True))
    assert len(refs) == len(set(refs)) == 40


def test_seed_bench_refuses_an_empty_gazetteer(db):
    with pytest.raises(CommandError, match="load_gazetteer"):
        call_command("seed_bench", 5, verbosity=0)


def test_seed_bench_refuses_zero(towns):
    with pytest.raises(CommandError):
        call_command("seed_bench", 0, verbosity=0)


def test_tile_csp_source_follows_the_tile_url():
    assert tile_csp_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://*.tile.openstreetmap.org"
    assert tile_csp_source("https://tiles.example.org/{z}/{x}/{y}.png") == "https://tiles.example.org"
    for bad in ("javascript:alert(1)", "/tiles/{z}/{x}/{y}.png", "https://{z}.example.org/{x}/{y}.png"):
        with pytest.raises(ImproperlyConfigured):
            tile_csp_source(bad)


def test_the_csp_allows_images_from_the_tile_server_only(client, viewer, settings):
    client.force_login(viewer)
    policy = client.get(reverse("maps:map"))["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src")).split()
    assert set(img_src[1:]) == {"'self'", "data:", tile_csp_source(settings.MAP_TILE_URL)}
    assert "script-src 'self'" in policy


def test_the_map_and_mini_map_get_their_tiles_from_the_settings(client, viewer, researcher, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    incident = factories.incident(created_by=researcher)
    client.force_login(viewer)
    for url in (reverse("maps:map"), incident.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
        assert 'data-tile-attribution="Example tiles"' in html


def test_an_empty_tile_url_leaves_a_blank_background(client, viewer, settings):
    settings.MAP_TILE_URL = ""
    client.force_login(viewer)
    assert 'data-tile-url=""' in client.get(reverse("maps:map")).content.decode()


def test_the_list_offers_exports_of_what_it_shows(client, viewer, dataset):
    client.force_login(viewer)
    html = client.get(reverse("incidents:list"), {"grade": "fair", "place": "Idleb"}).content.decode()
    assert f'href="{reverse("maps:export_csv")}?grade=fair&amp;place=Idleb"' in html
    assert f'href="{reverse("maps:export_geojson")}?grade=fair&amp;place=Idleb"' in html
    assert f'href="{reverse("maps:map")}?grade=fair&amp;place=Idleb"' in html
