"""Labels (issue 13 item 7): a nested vocabulary, tagging incidents, the filter, history, and who may see what."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tests.review.conftest import fresh, signed_in
from tests.review.test_core_integrity import edit_form_data
from verify.claims.history import incident_history
from verify.incidents import services
from verify.incidents.models import Incident, Label, Status

LABELS_URL = reverse("incidents:labels")
CREATE_URL = reverse("incidents:label_create")


def label(name: str, parent: Label | None = None, *, user=None) -> Label:
    return services.label_create(user=user, name=name, parent=parent)


@pytest.fixture
def vocabulary(db) -> dict[str, Label]:
    weapons = label("Weapons")
    cluster = label("Cluster munitions", weapons)
    submunitions = label("Unexploded submunitions", cluster)
    return {"weapons": weapons, "cluster": cluster, "submunitions": submunitions, "medical": label("Medical facility")}


def tag(incident: Incident, *labels: Label, user) -> list[str]:
    return services.incident_update(
        incident=fresh(incident), user=user, data={}, expected_version=fresh(incident).version, labels=list(labels)
    )


# The vocabulary: names and nesting.


def test_a_label_name_is_required(db):
    with pytest.raises(ValidationError) as caught:
        label("   ")
    assert "name" in caught.value.message_dict
    assert not Label.objects.exists()


def test_label_names_are_unique_ignoring_case(vocabulary):
    with pytest.raises(ValidationError) as caught:
        label("cluster MUNITIONS")
    assert "already a label" in caught.value.message_dict["name"][0]
    assert Label.objects.filter(name__iexact="cluster munitions").count() == 1


def test_a_label_name_cannot_hold_the_export_separator(db):
    with pytest.raises(ValidationError):
        label("double tap; medical")


def test_spaces_in_a_label_name_are_tidied(db):
    assert label("  double   tap ").name == "double tap"


def test_a_label_cannot_be_placed_under_its_own_sub_label(vocabulary, researcher):
    weapons, submunitions = vocabulary["weapons"], vocabulary["submunitions"]

    with pytest.raises(ValidationError) as caught:
        services.label_update(label=weapons, user=researcher, name="Weapons", parent=submunitions)

    assert "under itself" in caught.value.message_dict["parent"][0]
    assert Label.objects.get(pk=weapons.pk).parent is None


def test_a_label_cannot_be_its_own_parent(vocabulary, researcher):
    medical = vocabulary["medical"]
    with pytest.raises(ValidationError):
        services.label_update(label=medical, user=researcher, name="Medical facility", parent=medical)
    assert Label.objects.get(pk=medical.pk).parent is None


def test_a_label_can_be_renamed_and_moved(vocabulary, researcher):
    moved = services.label_update(
        label=vocabulary["medical"], user=researcher, name="Hospital", parent=vocabulary["weapons"]
    )
    assert (moved.name, moved.parent) == ("Hospital", vocabulary["weapons"])


def test_the_tree_puts_sub_labels_under_their_parent(vocabulary):
    assert [(lab.name, depth) for lab, depth in Label.objects.tree()] == [
        ("Medical facility", 0),
        ("Weapons", 0),
        ("Cluster munitions", 1),
        ("Unexploded submunitions", 2),
    ]


# Tagging incidents.


def test_labels_are_kept_in_the_history_with_their_current_names(researcher, incident, vocabulary):
    tag(incident, vocabulary["cluster"], vocabulary["medical"], user=researcher)
    tag(incident, vocabulary["cluster"], user=researcher)
    services.label_update(label=vocabulary["cluster"], user=researcher, name="Cluster bombs", parent=None)

    reasons = [e.reason for e in incident_history(fresh(incident)) if e.code.startswith("labels:")]

    assert reasons == ["Labels: removed Medical facility", "Labels: added Cluster bombs, Medical facility"]


def test_an_unchanged_set_of_labels_writes_nothing(researcher, incident, vocabulary):
    tag(incident, vocabulary["medical"], user=researcher)
    version = fresh(incident).version

    assert tag(incident, vocabulary["medical"], user=researcher) == []
    assert fresh(incident).version == version


def test_changing_labels_does_not_send_a_verified_incident_back_to_review(researcher, incident, vocabulary):
    Incident.objects.filter(pk=incident.pk).update(status=Status.VERIFIED)
    data = edit_form_data(incident) | {"labels": [vocabulary["medical"].pk]}

    response = signed_in(researcher).post(reverse("incidents:edit", args=[incident.reference]), data)

    assert response.status_code == 302
    after = fresh(incident)
    assert after.status == Status.VERIFIED
    assert list(after.labels.all()) == [vocabulary["medical"]]
    assert not after.transitions.exists()


def test_the_edit_form_records_fields_and_labels_as_two_history_rows(researcher, incident, vocabulary):
    data = edit_form_data(incident) | {"title": "A new title", "labels": [vocabulary["medical"].pk]}

    signed_in(researcher).post(reverse("incidents:edit", args=[incident.reference]), data)

    codes = [e.code for e in incident_history(fresh(incident)) if e.kind == "~"]
    assert f"labels:+{vocabulary['medical'].pk}" in codes and "edited:title" in codes


def test_a_stale_edit_form_cannot_undo_labels_set_in_between(researcher, researcher2, incident, vocabulary):
    data = edit_form_data(incident)
    tag(incident, vocabulary["medical"], user=researcher2)

    response = signed_in(researcher).post(reverse("incidents:edit", args=[incident.reference]), data)

    assert response.status_code == 409
    assert list(fresh(incident).labels.all()) == [vocabulary["medical"]]


def test_the_incident_page_shows_labels_as_links_to_the_filtered_list(client, viewer, researcher, incident, vocabulary):
    tag(incident, vocabulary["cluster"], user=researcher)
    client.force_login(viewer)

    page = client.get(incident.get_absolute_url()).content.decode()

    assert f'href="{reverse("incidents:list")}?label={vocabulary["cluster"].pk}"' in page
    assert "Cluster munitions" in page


# The filter.


def test_filtering_by_a_label_includes_incidents_tagged_with_its_sub_labels(client, viewer, researcher, vocabulary):
    deep = factories.incident(created_by=researcher, title="Submunitions in a field")
    direct = factories.incident(created_by=researcher, title="Cluster strike")
    other = factories.incident(created_by=researcher, title="Hospital hit")
    tag(deep, vocabulary["submunitions"], user=researcher)
    tag(direct, vocabulary["cluster"], user=researcher)
    tag(other, vocabulary["medical"], user=researcher)
    client.force_login(viewer)

    def listed(lab: Label) -> set[str]:
        response = client.get(reverse("incidents:list"), {"label": lab.pk})
        return {i.title for i in response.context["page"].object_list}

    assert listed(vocabulary["weapons"]) == {"Submunitions in a field", "Cluster strike"}
    assert listed(vocabulary["cluster"]) == {"Submunitions in a field", "Cluster strike"}
    assert listed(vocabulary["submunitions"]) == {"Submunitions in a field"}
    assert listed(vocabulary["medical"]) == {"Hospital hit"}


def test_an_incident_with_two_matching_labels_is_listed_once(client, viewer, researcher, incident, vocabulary):
    tag(incident, vocabulary["cluster"], vocabulary["submunitions"], user=researcher)
    client.force_login(viewer)

    response = client.get(reverse("incidents:list"), {"label": vocabulary["weapons"].pk})

    assert list(response.context["page"].object_list) == [incident]


def test_the_map_and_the_exports_filter_by_label(client, viewer, researcher, vocabulary):
    located = {"latitude": "35.813740", "longitude": "36.609640"}
    tagged = factories.incident(created_by=researcher, title="Tagged", **located)
    untagged = factories.incident(created_by=researcher, title="Untagged", **located)
    tag(tagged, vocabulary["cluster"], user=researcher)
    client.force_login(viewer)
    only_weapons = {"label": vocabulary["weapons"].pk}

    on_map = client.get(reverse("maps:data"), only_weapons).json()["features"]
    geojson = b"".join(client.get(reverse("maps:export_geojson"), only_weapons).streaming_content).decode()
    csv_text = b"".join(client.get(reverse("maps:export_csv"), only_weapons).streaming_content).decode()

    assert [f["id"] for f in on_map] == [tagged.reference]
    for body in (geojson, csv_text):
        assert tagged.reference in body and untagged.reference not in body


# The vocabulary page.


def test_a_viewer_reads_the_vocabulary_but_cannot_change_it(client, viewer, vocabulary):
    client.force_login(viewer)

    page = client.get(LABELS_URL)

    assert page.status_code == 200
    assert "Unexploded submunitions" in page.content.decode()
    assert "New label" not in page.content.decode()
    assert client.post(CREATE_URL, {"name": "Double tap"}).status_code == 403
    assert client.get(reverse("incidents:label_edit", args=[vocabulary["medical"].pk])).status_code == 403
    assert not Label.objects.filter(name="Double tap").exists()


def test_an_outsider_gets_no_vocabulary_page(client, outsider):
    client.force_login(outsider)
    assert client.get(LABELS_URL).status_code == 403


def test_the_creation_form_warns_that_labels_are_seen_by_everyone(client, researcher):
    client.force_login(researcher)
    assert "never put a name, a place or another sensitive detail" in client.get(LABELS_URL).content.decode()


def test_a_researcher_creates_a_nested_label(client, researcher, vocabulary):
    client.force_login(researcher)

    response = client.post(CREATE_URL, {"name": "Double tap", "parent": vocabulary["weapons"].pk})

    assert response.status_code == 302
    assert Label.objects.get(name="Double tap").parent == vocabulary["weapons"]


@pytest.mark.parametrize(
    ("name", "error"), [("", "This field is required"), ("medical FACILITY", "There is already a label")]
)
def test_a_bad_label_name_is_refused_with_a_clear_error(client, researcher, vocabulary, name, error):
    client.force_login(researcher)

    response = client.post(CREATE_URL, {"name": name})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert Label.objects.count() == 4


def test_re_parenting_into_a_cycle_on_the_page_is_refused(client, researcher, vocabulary):
    client.force_login(researcher)
    url = reverse("incidents:label_edit", args=[vocabulary["weapons"].pk])

    response = client.post(url, {"name": "Weapons", "parent": vocabulary["submunitions"].pk})

    assert response.status_code == 400
    assert "under itself or under one of its own sub-labels" in response.content.decode()
    assert fresh_label(vocabulary["weapons"]).parent is None


def test_renaming_on_the_page(client, researcher, vocabulary):
    client.force_login(researcher)
    url = reverse("incidents:label_edit", args=[vocabulary["medical"].pk])

    response = client.post(url, {"name": "Medical facilities", "parent": ""})

    assert response.status_code == 302
    assert fresh_label(vocabulary["medical"]).name == "Medical facilities"


def test_script_in_a_label_name_is_shown_as_text(client, researcher, incident):
    nasty = label("<script>alert(1)</script>")
    tag(incident, nasty, user=researcher)
    client.force_login(researcher)

    for url in (LABELS_URL, incident.get_absolute_url(), reverse("incidents:list")):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_vocabulary_page_never_counts_incidents_the_viewer_cannot_see(
    client, viewer, researcher, incident, restricted_incident, vocabulary
):
    tag(incident, vocabulary["medical"], user=researcher)
    tag(restricted_incident, vocabulary["medical"], user=researcher)

    client.force_login(viewer)
    page = client.get(LABELS_URL).content.decode()
    client.force_login(researcher)  # a member of the restricted incident's group
    insider_page = client.get(LABELS_URL).content.decode()

    assert "1 incident<" in page and "2 incidents" not in page
    assert "2 incidents" in insider_page


def fresh_label(lab: Label) -> Label:
    return Label.objects.get(pk=lab.pk)
