"""Who sees which incident, claim and evidence item. A restricted record does not exist for the rest."""

import signal
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from tests import factories
from verify.claims.access import get_claim_for_user
from verify.claims.models import Claim
from verify.evidence.access import get_evidence_for_user
from verify.evidence.models import EvidenceItem, IncidentEvidence
from verify.incidents.access import get_incident_for_user
from verify.incidents.models import Incident

ROLES = ["researcher", "reviewer", "viewer", "admin_user"]


def evidence_item(user, sha: str) -> EvidenceItem:
    return EvidenceItem.objects.create(
        sha256=sha * 64,
        size_bytes=100,
        mime_type="image/jpeg",
        original_filename=f"{sha}.jpg",
        storage_name=f"{sha}{sha}/{sha * 64}",
        title=f"Photo {sha}",
        kind="photo",
        uploaded_by=user,
    )


def link(item: EvidenceItem, incident: Incident, user) -> None:
    IncidentEvidence.objects.create(evidence=item, incident=incident, linked_by=user)


def visible_pks(user) -> set[int]:
    return set(Incident.objects.visible_to(user).values_list("pk", flat=True))


# --- get_incident_for_user ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_get_an_ordinary_incident(request, role, incident):
    user = request.getfixturevalue(role)

    assert get_incident_for_user(user, incident.reference) == incident


def test_outsider_gets_404_for_an_ordinary_incident(outsider, incident):
    with pytest.raises(Http404):
        get_incident_for_user(outsider, incident.reference)


def test_unknown_reference_is_404(viewer, incident):
    with pytest.raises(Http404):
        get_incident_for_user(viewer, "SYR-1999-9999")


def test_inactive_user_gets_404(researcher, incident):
    researcher.is_active = False
    researcher.save()

    with pytest.raises(Http404):
        get_incident_for_user(researcher, incident.reference)


def test_viewer_asking_to_change_a_visible_incident_gets_403(viewer, incident):
    with pytest.raises(PermissionDenied):
        get_incident_for_user(viewer, incident.reference, perm="incidents.change_incident")


def test_researcher_asking_to_change_a_visible_incident_gets_it(researcher, incident):
    assert get_incident_for_user(researcher, incident.reference, perm="incidents.change_incident") == incident


# --- restricted incidents -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["researcher2", "viewer", "reviewer"])
def test_restricted_incident_is_404_outside_its_group(request, role, restricted_incident):
    user = request.getfixturevalue(role)

    with pytest.raises(Http404):
        get_incident_for_user(user, restricted_incident.reference)


def test_restricted_incident_is_404_not_403_when_asking_to_change_it(researcher2, restricted_incident):
    with pytest.raises(Http404):
        get_incident_for_user(researcher2, restricted_incident.reference, perm="incidents.change_incident")


def test_restricted_incident_is_visible_to_a_member_of_its_group(researcher, restricted_incident):
    assert get_incident_for_user(researcher, restricted_incident.reference) == restricted_incident


def test_restricted_incident_becomes_visible_when_a_viewer_joins_its_group(viewer, desk, restricted_incident):
    viewer.groups.add(desk)

    assert get_incident_for_user(viewer, restricted_incident.reference) == restricted_incident


def test_restricted_incident_is_404_for_a_group_member_without_the_view_permission(outsider, desk, restricted_incident):
    outsider.groups.add(desk)

    with pytest.raises(Http404):
        get_incident_for_user(outsider, restricted_incident.reference)


def test_restricted_incident_is_visible_to_admin_with_view_all_restricted(admin_user, restricted_incident):
    assert admin_user.has_perm("incidents.view_all_restricted")
    assert not admin_user.groups.filter(restricted_incidents=restricted_incident).exists()

    assert get_incident_for_user(admin_user, restricted_incident.reference) == restricted_incident


def test_visible_to_leaves_out_restricted_incident_for_non_members(researcher2, incident, restricted_incident):
    assert visible_pks(researcher2) == {incident.pk}


def test_visible_to_includes_restricted_incident_for_members(researcher, incident, restricted_incident):
    assert visible_pks(researcher) == {incident.pk, restricted_incident.pk}


def test_visible_to_gives_nothing_to_the_outsider(outsider, incident):
    assert visible_pks(outsider) == set()


def test_visible_to_counts_a_restricted_incident_once_for_a_member_of_two_allowed_groups(
    researcher, desk, restricted_incident
):
    second = Group.objects.create(name="Second desk")
    researcher.groups.add(second)
    restricted_incident.allowed_groups.add(second)

    assert Incident.objects.visible_to(researcher).filter(pk=restricted_incident.pk).count() == 1


def test_dashboard_counts_leave_out_restricted_incident_for_non_members(
    client, researcher2, incident, restricted_incident
):
    client.force_login(researcher2)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert response.context["total"] == 1
    assert {value: n for value, _label, n in response.context["status_counts"]}["draft"] == 1
    assert "Restricted strike" not in response.content.decode()


def test_dashboard_counts_include_restricted_incident_for_members(client, researcher, incident, restricted_incident):
    client.force_login(researcher)

    response = client.get(reverse("dashboard"))

    assert response.context["total"] == 2
    assert "Restricted strike" in response.content.decode()


def test_list_leaves_out_restricted_incident_for_non_members(client, viewer, incident, restricted_incident):
    client.force_login(viewer)

    response = client.get(reverse("incidents:list"))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    content = response.content.decode()
    assert "1 incident<" in content
    assert restricted_incident.reference not in content
    assert "Restricted strike" not in content


def test_list_search_does_not_reveal_restricted_incident_to_non_members(client, viewer, restricted_incident):
    client.force_login(viewer)

    response = client.get(reverse("incidents:list"), {"q": "Restricted strike"})

    assert response.context["page"].paginator.count == 0


def test_list_shows_restricted_incident_to_members(client, researcher, incident, restricted_incident):
    client.force_login(researcher)

    response = client.get(reverse("incidents:list"))

    assert response.context["page"].paginator.count == 2
    assert restricted_incident.reference in response.content.decode()


# --- claims of restricted incidents ---------------------------------------------------------------


@pytest.fixture
def restricted_claim(restricted_incident):
    return factories.claim(incident=restricted_incident, killed_min=5, killed_max=5)


def test_claim_of_restricted_incident_is_404_outside_its_group(researcher2, restricted_claim):
    with pytest.raises(Http404):
        get_claim_for_user(researcher2, restricted_claim.pk)


def test_claim_of_restricted_incident_is_visible_to_members(researcher, restricted_claim):
    assert get_claim_for_user(researcher, restricted_claim.pk) == restricted_claim


def test_claim_visible_to_leaves_out_claims_of_restricted_incidents(researcher2, incident, restricted_claim):
    public_claim = factories.claim(incident=incident)

    assert list(Claim.objects.visible_to(researcher2)) == [public_claim]


def test_claim_edit_page_of_restricted_incident_is_404_outside_its_group(client, researcher2, restricted_claim):
    client.force_login(researcher2)

    response = client.get(reverse("claims:edit", args=[restricted_claim.pk]))

    assert response.status_code == 404


def test_source_page_does_not_list_claims_of_restricted_incidents(client, researcher2, restricted_claim):
    client.force_login(researcher2)

    response = client.get(reverse("claims:source_detail", args=[restricted_claim.source_id]))

    assert response.status_code == 200
    assert list(response.context["claims"]) == []
    assert restricted_claim.incident.reference not in response.content.decode()


def test_viewer_asking_to_change_a_visible_claim_gets_403(viewer, incident):
    claim = factories.claim(incident=incident)

    with pytest.raises(PermissionDenied):
        get_claim_for_user(viewer, claim.pk, perm="claims.change_claim")


# --- evidence linked to restricted incidents ------------------------------------------------------


def test_evidence_linked_to_restricted_incident_is_404_outside_its_group(researcher, researcher2, restricted_incident):
    item = evidence_item(researcher, "a")
    link(item, restricted_incident, researcher)

    with pytest.raises(Http404):
        get_evidence_for_user(researcher2, item.pk)


def test_evidence_linked_to_restricted_and_public_incidents_stays_hidden_outside_the_group(
    researcher, researcher2, incident, restricted_incident
):
    item = evidence_item(researcher, "a")
    link(item, incident, researcher)
    link(item, restricted_incident, researcher)

    with pytest.raises(Http404):
        get_evidence_for_user(researcher2, item.pk)
    assert not EvidenceItem.objects.visible_to(researcher2).filter(pk=item.pk).exists()


def test_evidence_linked_to_restricted_incident_is_visible_to_members(researcher, incident, restricted_incident):
    item = evidence_item(researcher, "a")
    link(item, incident, researcher)
    link(item, restricted_incident, researcher)

    assert get_evidence_for_user(researcher, item.pk) == item


def test_evidence_linked_only_to_a_public_incident_is_visible_to_a_viewer(researcher, viewer, incident):
    item = evidence_item(researcher, "b")
    link(item, incident, researcher)

    assert get_evidence_for_user(viewer, item.pk) == item


def test_evidence_is_404_for_the_outsider(researcher, outsider, incident):
    item = evidence_item(researcher, "b")
    link(item, incident, researcher)

    with pytest.raises(Http404):
        get_evidence_for_user(outsider, item.pk)


def test_evidence_visible_to_counts_an_item_once_however_many_incidents_it_is_linked_to(researcher, viewer, incident):
    other = factories.incident(created_by=researcher)
    item = evidence_item(researcher, "c")
    link(item, incident, researcher)
    link(item, other, researcher)

    assert list(EvidenceItem.objects.visible_to(viewer)) == [item]


# --- merged incidents -----------------------------------------------------------------------------


@pytest.fixture
def merged_pair(researcher, incident):
    """`incident` is the one kept; `duplicate` was merged into it."""
    duplicate = factories.incident(created_by=researcher, title="Duplicate report")
    Incident.objects.filter(pk=duplicate.pk).update(merged_into=incident)
    duplicate.refresh_from_db()
    return duplicate, incident


def test_merged_away_reference_resolves_to_the_incident_it_was_merged_into(viewer, merged_pair):
    duplicate, kept = merged_pair

    assert get_incident_for_user(viewer, duplicate.reference) == kept


def test_merged_away_reference_follows_a_chain_of_merges(researcher, viewer, merged_pair):
    duplicate, kept = merged_pair
    final = factories.incident(created_by=researcher, title="Final record")
    Incident.objects.filter(pk=kept.pk).update(merged_into=final)

    assert get_incident_for_user(viewer, duplicate.reference) == final


def test_merged_away_incident_is_left_out_of_visible_to(viewer, merged_pair):
    duplicate, kept = merged_pair

    assert visible_pks(viewer) == {kept.pk}
    assert duplicate.pk not in visible_pks(viewer)


def test_merged_away_reference_into_a_restricted_incident_is_404_outside_its_group(
    researcher, researcher2, restricted_incident
):
    duplicate = factories.incident(created_by=researcher)
    Incident.objects.filter(pk=duplicate.pk).update(merged_into=restricted_incident)

    with pytest.raises(Http404):
        get_incident_for_user(researcher2, duplicate.reference)
    assert get_incident_for_user(researcher, duplicate.reference) == restricted_incident


def test_merged_away_detail_page_redirects_to_the_kept_incident(client, viewer, merged_pair):
    duplicate, kept = merged_pair
    client.force_login(viewer)

    response = client.get(reverse("incidents:detail", args=[duplicate.reference]))

    assert response.status_code == 302
    assert response["Location"] == kept.get_absolute_url()


@contextmanager
def time_limit(seconds: int):
    """Turn an endless loop into a TimeoutError instead of a hung test run."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_cycle_of_merges_is_404_instead_of_an_endless_loop(researcher, viewer, merged_pair):
    duplicate, kept = merged_pair
    Incident.objects.filter(pk=kept.pk).update(merged_into=duplicate)

    with time_limit(2), pytest.raises(Http404):
        get_incident_for_user(viewer, duplicate.reference)


def test_merging_into_an_incident_that_leads_back_is_refused(researcher):
    from django.core.exceptions import ValidationError

    from tests import factories

    a = factories.incident(created_by=researcher)
    b = factories.incident(created_by=researcher)
    b.merged_into = a
    b.save()
    a.merged_into = b
    with pytest.raises(ValidationError, match="cycle"):
        a.full_clean()


def test_reference_numbers_keep_counting_past_9999(researcher):
    from tests import factories
    from verify.incidents.services import next_reference

    first = factories.incident(created_by=researcher)
    year = first.date_start.year
    Incident.objects.filter(pk=first.pk).update(reference=f"SYR-{year}-9999")
    second = factories.incident(created_by=researcher)
    Incident.objects.filter(pk=second.pk).update(reference=f"SYR-{year}-10000")
    assert next_reference(year=year) == f"SYR-{year}-10001"
