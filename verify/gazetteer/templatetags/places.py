import json

from django import template

from verify.core.choices import LocationPrecision

register = template.Library()


@register.inclusion_tag("gazetteer/_point_picker.html")
def point_picker(form) -> dict:
    """A small map under a form's latitude/longitude/precision fields: a click or a drag sets them
    (static/js/point-picker.js). Hidden without JavaScript, where the fields themselves are typed in."""
    return {
        "latitude": form["latitude"],
        "longitude": form["longitude"],
        "precision": form["location_precision"] if "location_precision" in form.fields else None,
        "radii": json.dumps({choice.value: choice.radius_m for choice in LocationPrecision}),
    }
