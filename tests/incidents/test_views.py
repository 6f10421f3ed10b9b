"""The incident and claim pages: who may do what, what a bad form does, and what the list costs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests import factories
from verify.claims.models import Claim
from verify.gazetteer.models import Place
from verify.incidents.models import Incident, Status

LOGIN_URL = reverse("login")
SCRIPT = "<script>alert(1)</script>"


def incident_data(**overrides) -> dict:
    """A complete, valid incident form as a browser would post it."""
    data = {
        "title": "Shelling of the bakery queue",
        "summary": "Shells landed on people queueing for bread.",
        "date_start": "2015-12-02",
        "date_end": "2015-12-02",
        "date_precision": "day",
        "place": "",
        "location_name": "Bakery, Ariha",
        "latitude": "35.813740",
        "longitude": "36.609640",
        "location_precision": "town",
        "attack_type": "shelling",
        "target_type": "market",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def claim_data(source, **overrides) -> dict:
    data = {
        "source": source.pk,
        "stance": "alleges",
        "published_on": "2015-12-03",
        "url": "",
        "excerpt": "Three people were killed in the queue.",
        "killed_min": "3",
        "killed_max": "5",
        "injured_min": "",
        "injured_max": "",
        "perpetrator": "",
        "munition": "",
        "event_date": "2015-12-02",
        "event_date_precision": "day",
        "place": "",
        "latitude": "",
        "longitude": "",
        "location_precision": "town",
        "military_objective_present": "",
        "military_objective_distance_m": "",
        "credibility": "3",
        "derived_from": "",
    }
    data.update(overrides)
    return data


def assert_field_error(response, field: str, message: str) -> None:
    """The message is in the form's errors and rendered beside the field it is about.

    Beside: in the same field group, after the field's own label and before the next field's label.
    """
    assert message in response.context["form"].errors[field]
    html = response.content.decode()
    error = html.find(f'id="id_{field}_error"')
    assert error != -1, f"no error list rendered for {field}"
    assert escape(message) in html[error : html.find("</ul>", error)]
    label = max(html.rfind("<label", 0, error), html.rfind("<legend", 0, error))
    assert f'for="id_{field}' in html[label : html.find(">", label)], "the nearest label is another field's"
    later = [i for i in (html.find("<label", error), html.find("<legend", error)) if i != -1]
    assert f'name="{field}"' in html[label : min(later, default=len(html))], "the field is not beside its error"


@pytest.fixture
def claim(incident):
    return factories.claim(incident=incident, excerpt="Original excerpt.", killed_min=34)


# --- the role-by-action matrix --------------------------------------------------------------------


def _request(action: str, incident: Incident, claim: Claim) -> tuple[str, str, dict]:
    ref = incident.reference
    return {
        "list": ("get", reverse("incidents:list"), {}),
        "detail": ("get", reverse("incidents:detail", args=[ref]), {}),
        "create form": ("get", reverse("incidents:create"), {}),
        "create": ("post", reverse("incidents:create"), incident_data()),
        "edit form": ("get", reverse("incidents:edit", args=[ref]), {}),
        "edit": ("post", reverse("incidents:edit", args=[ref]), incident_data(version=incident.version)),
        "claim create form": ("get", reverse("incidents:claim_create", args=[ref]), {}),
        "claim create": ("post", reverse("incidents:claim_create", args=[ref]), claim_data(claim.source)),
        "claim edit form": ("get", reverse("claims:edit", args=[claim.pk]), {}),
        "claim edit": (
            "post",
            reverse("claims:edit", args=[claim.pk]),
            claim_data(claim.source, excerpt="Edited excerpt.", version=claim.version),
        ),
    }[action]


ACTIONS = [
    "list",
    "detail",
    "create form",
    "create",
    "edit form",
    "edit",
    "claim create form",
    "claim create",
    "claim edit form",
    "claim edit",
]
EXPECTED = {
    "researcher": [200, 200, 200, 302, 200, 302, 200, 302, 200, 302],
    "reviewer": [200, 200, 200, 302, 200, 302, 200, 302, 200, 302],
    "viewer": [200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "outsider": [403, 404, 403, 403, 404, 404, 404, 404, 404, 404],
    "anonymous": [302] * len(ACTIONS),
}
MATRIX = [
    pytest.param(role, action, status, id=f"{role}-{action}-{status}")
    for role, statuses in EXPECTED.items()
    for action, status in zip(ACTIONS, statuses, strict=True)
]


def _snapshot(incident: Incident, claim: Claim) -> tuple:
    incident.refresh_from_db()
    claim.refresh_from_db()
    return (Incident.objects.count(), Claim.objects.count(), incident.title, incident.version, claim.excerpt)


@pytest.mark.parametrize(("role", "action", "expected"), MATRIX)
def test_role_gets_expected_status_and_only_allowed_roles_write(request, client, role, action, expected, claim):
    incident = claim.incident
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = _snapshot(incident, claim)
    method, url, data = _request(action, incident, claim)

    response = getattr(client, method)(url, data)

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(f"{LOGIN_URL}?next=")
    elif expected == 302:
        assert not response["Location"].startswith(LOGIN_URL)
    may_write = method == "post" and role in ("researcher", "reviewer")
    assert (_snapshot(incident, claim) != before) is may_write


def test_viewer_does_not_see_edit_or_add_claim_buttons(client, viewer, incident):
    client.force_login(viewer)

    content = client.get(incident.get_absolute_url()).content.decode()

    assert reverse("incidents:edit", args=[incident.reference]) not in content
    assert reverse("incidents:claim_create", args=[incident.reference]) not in content


def test_researcher_sees_edit_and_add_claim_buttons(client, researcher, incident):
    client.force_login(researcher)

    content = client.get(incident.get_absolute_url()).content.decode()

    assert reverse("incidents:edit", args=[incident.reference]) in content
    assert reverse("incidents:claim_create", args=[incident.reference]) in content


# --- restricted incidents by URL ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["researcher2", "reviewer", "viewer", "outsider"])
@pytest.mark.parametrize("page", ["incidents:detail", "incidents:edit", "incidents:claim_create"])
def test_restricted_incident_pages_are_404_for_non_members(request, client, role, page, restricted_incident):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(page, args=[restricted_incident.reference]))

    assert response.status_code == 404
    assert b"Restricted strike" not in response.content


def test_restricted_incident_edit_post_is_404_for_non_members_and_changes_nothing(
    client, researcher2, restricted_incident
):
    client.force_login(researcher2)

    response = client.post(
        reverse("incidents:edit", args=[restricted_incident.reference]),
        incident_data(title="Overwritten", version=restricted_incident.version),
    )

    assert response.status_code == 404
    restricted_incident.refresh_from_db()
    assert restricted_incident.title == "Restricted strike"


def test_restricted_incident_detail_is_shown_to_a_member(client, researcher, restricted_incident):
    client.force_login(researcher)

    response = client.get(restricted_incident.get_absolute_url())

    assert response.status_code == 200
    assert b"Restricted strike" in response.content


# --- creating through the form --------------------------------------------------------------------


def test_researcher_creates_incident_with_a_reference_from_the_year_of_its_start(client, researcher):
    factories.incident(created_by=researcher)
    factories.incident(created_by=researcher)
    factories.incident(created_by=researcher, date_start=date(2016, 1, 1), date_end=date(2016, 1, 1))
    client.force_login(researcher)

    response = client.post(reverse("incidents:create"), incident_data())

    incident = Incident.objects.get(title="Shelling of the bakery queue")
    assert incident.reference == "SYR-2015-0003"
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:detail", args=["SYR-2015-0003"])
    assert incident.status == Status.DRAFT
    assert incident.created_by == researcher
    assert incident.version == 1


def test_first_incident_of_a_year_gets_number_0001(client, researcher, incident):
    client.force_login(researcher)

    client.post(reverse("incidents:create"), incident_data(date_start="2014-03-01", date_end="2014-03-02"))

    assert Incident.objects.filter(reference="SYR-2014-0001", title="Shelling of the bakery queue").exists()


def test_incident_form_takes_coordinates_from_the_gazetteer_place(client, researcher):
    place = factories.place("Arīḩā", latitude=Decimal("35.813740"), longitude=Decimal("36.609640"))
    client.force_login(researcher)

    client.post(reverse("incidents:create"), incident_data(place=place.pk, latitude="", longitude=""))

    incident = Incident.objects.get(title="Shelling of the bakery queue")
    assert (incident.latitude, incident.longitude) == (place.latitude, place.longitude)


def test_restricted_incident_created_through_the_form_is_limited_to_its_groups(client, researcher, desk):
    client.force_login(researcher)

    client.post(reverse("incidents:create"), incident_data(restricted="on", allowed_groups=[desk.pk]))

    incident = Incident.objects.get(title="Shelling of the bakery queue")
    assert incident.restricted
    assert list(incident.allowed_groups.all()) == [desk]


def test_researcher_adds_a_claim_through_the_form(client, researcher, incident):
    source = factories.source("Local activists")
    client.force_login(researcher)

    response = client.post(reverse("incidents:claim_create", args=[incident.reference]), claim_data(source))

    assert response.status_code == 302
    claim = Claim.objects.get(incident=incident)
    assert (claim.source, claim.killed_min, claim.killed_max, claim.created_by) == (source, 3, 5, researcher)


# --- form validation: an error beside the field, nothing saved ------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"latitude": "200"}, "latitude", "Latitude must be between -90 and 90.", id="latitude-200"),
        pytest.param(
            {"longitude": "-181"}, "longitude", "Longitude must be between -180 and 180.", id="longitude-minus-181"
        ),
        pytest.param(
            {"date_start": "2015-12-02", "date_end": "2015-12-01"},
            "date_end",
            "The window must end on or after its start.",
            id="end-before-start",
        ),
        pytest.param(
            {"date_start": "FUTURE", "date_end": "FUTURE"},
            "date_start",
            "The date cannot be in the future.",
            id="future-date",
        ),
        pytest.param(
            {"attack_type": "napalm"},
            "attack_type",
            "Select a valid choice. napalm is not one of the available choices.",
            id="unknown-attack-type",
        ),
        pytest.param(
            {"latitude": "35.8", "longitude": ""},
            "longitude",
            "Give both latitude and longitude, or neither.",
            id="latitude-without-longitude",
        ),
        pytest.param({"title": ""}, "title", "This field is required.", id="no-title"),
        pytest.param(
            {"restricted": "on"},
            "allowed_groups",
            "A restricted incident needs at least one group allowed to see it.",
            id="restricted-without-group",
        ),
    ],
)
def test_invalid_incident_form_shows_the_error_and_saves_nothing(client, researcher, overrides, field, message):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    overrides = {k: tomorrow if v == "FUTURE" else v for k, v in overrides.items()}
    client.force_login(researcher)

    response = client.post(reverse("incidents:create"), incident_data(**overrides))

    assert response.status_code == 200
    assert_field_error(response, field, message)
    assert "Please correct the" in response.content.decode()
    assert Incident.objects.count() == 0


def test_invalid_incident_edit_shows_the_error_and_changes_nothing(client, researcher, incident):
    client.force_login(researcher)
    title = incident.title

    response = client.post(
        reverse("incidents:edit", args=[incident.reference]),
        incident_data(title="Changed", latitude="200", version=incident.version),
    )

    assert response.status_code == 200
    assert_field_error(response, "latitude", "Latitude must be between -90 and 90.")
    incident.refresh_from_db()
    assert (incident.title, incident.version, incident.latitude) == (title, 1, Decimal("35.813740"))
    assert incident.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"killed_min": "10", "killed_max": "3"},
            "killed_max",
            "The maximum killed cannot be lower than the minimum.",
            id="killed-min-above-max",
        ),
        pytest.param(
            {"injured_min": "10", "injured_max": "3"},
            "injured_max",
            "The maximum injured cannot be lower than the minimum.",
            id="injured-min-above-max",
        ),
        pytest.param(
            {"stance": "maybe"},
            "stance",
            "Select a valid choice. maybe is not one of the available choices.",
            id="unknown-stance",
        ),
        pytest.param(
            {"event_date": "FUTURE"}, "event_date", "The date cannot be in the future.", id="future-event-date"
        ),
        pytest.param({"killed_min": "-1"}, "killed_min", "Ensure this value is greater than or equal to 0.", id="neg"),
        pytest.param(
            {"military_objective_present": "false", "military_objective_distance_m": "300"},
            "military_objective_distance_m",
            "A distance only makes sense if an objective is said to be present.",
            id="distance-without-objective",
        ),
    ],
)
def test_invalid_claim_form_shows_the_error_and_saves_nothing(client, researcher, incident, overrides, field, message):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    overrides = {k: tomorrow if v == "FUTURE" else v for k, v in overrides.items()}
    source = factories.source()
    client.force_login(researcher)

    response = client.post(
        reverse("incidents:claim_create", args=[incident.reference]), claim_data(source, **overrides)
    )

    assert response.status_code == 200
    assert_field_error(response, field, message)
    assert Claim.objects.count() == 0


def test_invalid_claim_edit_shows_the_error_and_changes_nothing(client, researcher, claim):
    client.force_login(researcher)

    response = client.post(
        reverse("claims:edit", args=[claim.pk]),
        claim_data(claim.source, killed_min="50", killed_max="40", excerpt="Changed", version=claim.version),
    )

    assert response.status_code == 200
    assert_field_error(response, "killed_max", "The maximum killed cannot be lower than the minimum.")
    claim.refresh_from_db()
    assert (claim.excerpt, claim.killed_min, claim.version) == ("Original excerpt.", 34, 1)


def test_claim_cannot_be_derived_from_a_claim_of_another_incident(client, researcher, incident, claim):
    other = factories.incident(created_by=researcher)
    client.force_login(researcher)

    response = client.post(
        reverse("incidents:claim_create", args=[other.reference]), claim_data(claim.source, derived_from=claim.pk)
    )

    assert response.status_code == 200
    assert "derived_from" in response.context["form"].errors
    assert not Claim.objects.filter(incident=other).exists()


# --- escaping -------------------------------------------------------------------------------------


def test_script_in_a_title_is_escaped_on_the_detail_page(client, viewer, researcher):
    incident = factories.incident(created_by=researcher, title=SCRIPT, summary=SCRIPT, location_name=SCRIPT)
    factories.claim(incident=incident, excerpt=SCRIPT, munition=SCRIPT)
    client.force_login(viewer)

    content = client.get(incident.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


def test_script_in_a_title_is_escaped_on_the_list_page(client, viewer, researcher):
    factories.incident(created_by=researcher, title=SCRIPT)
    client.force_login(viewer)

    content = client.get(reverse("incidents:list")).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


def test_script_typed_into_the_form_is_saved_verbatim_and_rendered_escaped(client, researcher):
    client.force_login(researcher)

    response = client.post(reverse("incidents:create"), incident_data(title=SCRIPT), follow=True)

    assert Incident.objects.get().title == SCRIPT
    content = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


# --- the list: pages, search, queries -------------------------------------------------------------


def test_list_is_paginated_25_per_page(client, viewer, researcher):
    for _ in range(30):
        factories.incident(created_by=researcher)
    client.force_login(viewer)

    first = client.get(reverse("incidents:list"))
    second = client.get(reverse("incidents:list"), {"page": 2})

    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    assert second.status_code == 200
    assert second.context["page"].number == 2
    assert len(second.context["page"].object_list) == 5
    on_first = {i.pk for i in first.context["page"].object_list}
    on_second = {i.pk for i in second.context["page"].object_list}
    assert on_first.isdisjoint(on_second)
    assert 'rel="next"' in first.content.decode()


def test_list_pagination_keeps_the_search(client, viewer, researcher):
    for n in range(30):
        factories.incident(created_by=researcher, title=f"Market strike {n}")
    factories.incident(created_by=researcher, title="Hospital strike")
    client.force_login(viewer)

    response = client.get(reverse("incidents:list"), {"q": "market"})

    assert response.context["page"].paginator.count == 30
    assert "q=market&amp;page=2" in response.content.decode()


def test_list_search_finds_by_title(client, viewer, researcher):
    market = factories.incident(created_by=researcher, title="Missile strike on Ariha market")
    factories.incident(created_by=researcher, title="Shelling of a school")
    client.force_login(viewer)

    response = client.get(reverse("incidents:list"), {"q": "ARIHA MARKET"})

    assert list(response.context["page"].object_list) == [market]


def test_list_search_finds_by_an_alternative_spelling_of_the_place(client, viewer, researcher):
    ariha = factories.place("Arīḩā", alternative_names=["Ariha", "Eriha", "Arihah"])
    at_ariha = factories.incident(created_by=researcher, title="Strike on the market", place=ariha)
    factories.incident(created_by=researcher, title="Strike elsewhere")
    client.force_login(viewer)

    response = client.get(reverse("incidents:list"), {"q": "Eriha"})

    assert list(response.context["page"].object_list) == [at_ariha]


def test_list_search_with_no_match_says_so(client, viewer, incident):
    client.force_login(viewer)

    response = client.get(reverse("incidents:list"), {"q": "Timbuktu"})

    assert response.context["page"].paginator.count == 0
    assert "No incidents match these filters." in response.content.decode()


def _add_listed_incidents(researcher, n: int) -> None:
    governorate = Place.objects.filter(kind=Place.Kind.GOVERNORATE).first() or factories.place(
        "Idlib", kind=Place.Kind.GOVERNORATE
    )
    for i in range(n):
        town = factories.place(f"Town {Place.objects.count()}", governorate=governorate)
        incident = factories.incident(created_by=researcher, place=town, title=f"Listed {i}")
        factories.claim(incident=incident)
        factories.claim(incident=incident)


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("incidents:list"))
    assert response.status_code == 200
    return len(queries)


def test_list_runs_the_same_number_of_queries_for_3_or_30_incidents(client, viewer, researcher):
    client.force_login(viewer)
    _add_listed_incidents(researcher, 3)
    client.get(reverse("incidents:list"))  # warm the per-process caches (content types)
    with_3 = _list_queries(client)

    _add_listed_incidents(researcher, 27)
    client.get(reverse("incidents:list"))  # the new sources and labels: the cached filter choices are recomputed once
    with_30 = _list_queries(client)

    assert with_30 == with_3


def test_list_stays_within_a_small_query_budget(client, viewer, researcher, django_assert_max_num_queries):
    _add_listed_incidents(researcher, 30)
    client.force_login(viewer)
    client.get(reverse("incidents:list"))

    # 9: session, user, permissions, the count, the page, its labels, the user's groups, the fingerprint of the
    # cached filter choices (verify.core.cached), and the unread-notifications count in the header.
    with django_assert_max_num_queries(9):
        client.get(reverse("incidents:list"))


def test_list_search_finds_a_place_spelled_without_the_space(client, viewer, researcher):
    deir = factories.place("Deir ez-Zor", latitude=Decimal("35.336000"), longitude=Decimal("40.140000"))
    at_deir = factories.incident(created_by=researcher, title="Strike on oil storage", place=deir)
    assert list(Place.objects.search("Deir Ezzor")) == [deir]
    client.force_login(viewer)

    response = client.get(reverse("incidents:list"), {"q": "Deir Ezzor"})

    assert list(response.context["page"].object_list) == [at_deir]
