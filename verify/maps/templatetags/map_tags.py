from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def map_tile_attrs() -> SafeString:
    """The tile settings as data attributes for a map element: no inline script under the CSP."""
    return format_html(
        'data-tile-url="{}" data-tile-attribution="{}"', settings.MAP_TILE_URL, settings.MAP_TILE_ATTRIBUTION
    )
