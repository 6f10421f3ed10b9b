from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from verify.maps.basemap import pmtiles_url

register = template.Library()


@register.simple_tag
def map_tile_attrs() -> SafeString:
    """The basemap settings as data attributes for a map element (no inline script under the CSP): the tile URL,
    the self-hosted PMTiles file, and the offline layers' data (static/js/basemap.js)."""
    return format_html(
        'data-tile-url="{}" data-tile-attribution="{}" data-pmtiles-url="{}" data-pmtiles-attribution="{}" '
        'data-countries-url="{}" data-governorates-url="{}" data-places-url="{}"',
        settings.MAP_TILE_URL,
        settings.MAP_TILE_ATTRIBUTION,
        pmtiles_url(),
        settings.MAP_PMTILES_ATTRIBUTION,
        static("vendor/world-atlas-2.0.2/countries-50m.json"),
        static("vendor/natural-earth-admin1-syria/syria-governorates.geojson"),
        reverse("maps:place_labels"),
    )


@register.simple_tag
def map_pmtiles_url() -> str:
    """The self-hosted PMTiles basemap's URL, or "" (then protomaps-leaflet is not loaded)."""
    return pmtiles_url()
