"""Template filters for the one definition of each displayed measure (see verify.core.display)."""

from django import template

from verify.core import display

register = template.Library()


@register.filter
def distance(metres) -> str:
    """`{{ metres|distance }}`: "300 m", "1.2 km"; blank when there is no distance."""
    return "" if metres is None or metres == "" else display.distance_text(float(metres))


@register.filter
def radius(metres) -> str:
    """`{{ metres|radius }}`: "± 5,000 m"; blank when there is no radius."""
    return "" if metres is None or metres == "" else display.radius_text(int(metres))


@register.filter
def detail_items(detail) -> list[tuple[str, str]]:
    """`{% for key, text in event.detail|detail_items %}`: a stored detail with its values in words."""
    return display.detail_items(detail)
