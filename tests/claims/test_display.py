"""Ranges, distances and precision radii read the same on every page (one definition: verify.lib.display)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from tests import factories
from verify.claims.crosscheck import incident_crosscheck
from verify.claims.panels import matrix_rows

pytestmark = pytest.mark.django_db


def cells(incident) -> dict[str, str]:
    (row,) = matrix_rows(incident_crosscheck(incident))
    return {cell.column: cell.value for cell in row.cells}


def test_the_matrix_shows_ranges_radii_and_distances_through_the_one_definition(researcher, incident):
    factories.claim(
        incident=incident,
        created_by=researcher,
        killed_min=34,
        injured_max=15,
        latitude=Decimal("35.8"),
        longitude=Decimal("36.6"),
        location_precision="town",
        military_objective_present=True,
        military_objective_distance_m=1500,
    )

    values = cells(incident)
    assert values["killed"] == "at least 34"
    assert values["injured"] == "up to 15"
    assert values["place"] == "35.8000, 36.6000 (± 5,000 m)"
    assert values["military_objective"] == "Present, 1.5 km away"


def test_a_military_objective_nearby_is_in_metres(researcher, incident):
    factories.claim(
        incident=incident, created_by=researcher, military_objective_present=True, military_objective_distance_m=300
    )
    assert cells(incident)["military_objective"] == "Present, 300 m away"


def test_the_template_filters_use_the_one_definition():
    template = Template("{% load display %}{{ a|distance }}|{{ b|distance }}|{{ r|radius }}|{{ none|distance }}")
    context = Context({"a": 300, "b": 1234.5, "r": 20000, "none": None})
    assert template.render(context) == "300 m|1.2 km|± 20,000 m|"
