"""Possible duplicates, merging and "not a duplicate"."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories
from verify.claims.models import Claim
from verify.evidence.models import CustodyEvent, EvidenceItem, IncidentEvidence
from verify.incidents.access import get_incident_for_user
from verify.incidents.duplicates import duplicate_candidates, duplicate_dismiss, duplicate_pairs, duplicates_rebuild
from verify.incidents.models import DuplicateDismissal, Incident
from verify.review.merging import incident_merge

pytestmark = pytest.mark.django_db
ARIHA = (Decimal("35.813740"), Decimal("36.609640"))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def evidence(user, title="Photo") -> EvidenceItem:
    n = EvidenceItem.objects.count() + 1
    return EvidenceItem.objects.create(
        sha256=f"{n:064x}",
        size_bytes=10,
        mime_type="image/jpeg",
        original_filename=f"{title}.jpg",
        storage_name=f"{n:064x}",
        title=title,
        kind="photo",
        uploaded_by=user,
    )


def link(item, incident, user) -> IncidentEvidence:
    return IncidentEvidence.objects.create(evidence=item, incident=incident, linked_by=user)


def near(researcher, **fields) -> Incident:
    data = {"latitude": ARIHA[0], "longitude": ARIHA[1], "location_precision": "town"}
    data.update(fields)
    return factories.incident(created_by=researcher, **data)


# --- Finding them -------------------------------------------------------------------------------------------


def test_demo_idlib_market_is_found_as_a_likely_duplicate_of_ariha(demo):
    researcher = User.objects.get(username="researcher")
    ariha = Incident.objects.get(reference="SYR-2015-0001")
    idlib = Incident.objects.get(reference="SYR-2015-0002")

    [candidate] = duplicate_candidates(ariha, user=researcher)
    assert candidate.incident == idlib
    assert 12_000 < candidate.distance_m < 15_000  # inside Idlib's ± 20 km district radius
    assert [c.incident for c in duplicate_candidates(idlib, user=researcher)] == [ariha]
    pairs = {(p.first.reference, p.second.reference) for p in duplicate_pairs(user=researcher)}
    assert ("SYR-2015-0001", "SYR-2015-0002") in pairs

    html = client_for(researcher).get(ariha.get_absolute_url()).content.decode()
    assert "Possible duplicates" in html and "SYR-2015-0002 Missile strike on central Idlib market" in html
    page = client_for(researcher).get(reverse("incidents:duplicates")).content.decode()
    assert "SYR-2015-0002" in page


def test_far_apart_or_on_other_dates_are_not_duplicates(researcher):
    base = near(researcher, location_precision="neighbourhood")
    near(researcher, title="Far", latitude=Decimal("36.2"), longitude=Decimal("37.1"))  # Aleppo, ~60 km
    near(researcher, title="Later", date_start=date(2015, 12, 20), date_end=date(2015, 12, 20))
    near(researcher, title="Unknown date", date_start=None, date_end=None)

    assert duplicate_candidates(base, user=researcher) == []
    assert list(duplicate_pairs(user=researcher)) == []


def test_date_precision_widens_the_window(researcher):
    base = near(researcher, date_precision="approx_day")
    two_days_later = near(researcher, date_start=date(2015, 12, 1), date_end=date(2015, 12, 1), date_precision="day")
    day_after = near(researcher, date_start=date(2015, 11, 30), date_end=date(2015, 11, 30), date_precision="day")

    found = [c.incident for c in duplicate_candidates(base, user=researcher)]
    assert day_after in found and two_days_later not in found


def test_the_margin_setting_is_used(researcher, settings):
    a = near(researcher, location_precision="exact")
    b = near(researcher, location_precision="exact", latitude=ARIHA[0] + Decimal("0.01"))  # ~1.1 km north

    settings.DUPLICATE_MARGIN_M = 500
    duplicates_rebuild()  # the margin is applied when the pairs are worked out
    assert duplicate_candidates(a, user=researcher) == []
    settings.DUPLICATE_MARGIN_M = 2_000
    duplicates_rebuild()
    assert [c.incident for c in duplicate_candidates(a, user=researcher)] == [b]


def test_site_wide_pairs_agree_with_the_per_incident_search(researcher):
    made = [
        near(
            researcher,
            date_start=date(2015, 11, d),
            date_end=date(2015, 11, d),
            date_precision=p,
            latitude=ARIHA[0] + Decimal(k) / 100,
        )
        for d, p, k in [(1, "day", 0), (1, "week", 3), (5, "approx_day", 1), (9, "week", 20), (20, "month", 2)]
    ]
    from_pairs = {(p.first.pk, p.second.pk) for p in duplicate_pairs(user=researcher)}
    from_candidates = {
        tuple(sorted((i.pk, c.incident.pk))) for i in made for c in duplicate_candidates(i, user=researcher)
    }
    assert from_pairs == from_candidates
    assert from_pairs  # the case is not trivially empty


def test_not_a_duplicate_is_remembered(researcher):
    a, b = near(researcher), near(researcher)
    client = client_for(researcher)

    response = client.post(
        reverse("incidents:dismiss_duplicate", args=[b.reference, a.reference]), {"next": a.get_absolute_url()}
    )

    assert response.status_code == 302 and response.url == a.get_absolute_url()
    assert DuplicateDismissal.objects.get().incident_a == a  # stored once, lower key first
    assert duplicate_candidates(a, user=researcher) == [] and duplicate_candidates(b, user=researcher) == []
    assert list(duplicate_pairs(user=researcher)) == []
    duplicate_dismiss(incident=a, other=b, user=researcher)  # idempotent
    assert DuplicateDismissal.objects.count() == 1


def test_restricted_incidents_are_never_offered_to_non_members(researcher, researcher2, desk, outsider):
    researcher.groups.add(desk)
    public = near(researcher, title="Public strike")
    secret = near(researcher, title="Secret strike", restricted=True, groups=[desk])

    assert [c.incident for c in duplicate_candidates(public, user=researcher)] == [secret]
    assert duplicate_candidates(public, user=researcher2) == []
    assert list(duplicate_pairs(user=researcher2)) == []
    for user in (researcher2, outsider):
        client = client_for(user)
        for url in (public.get_absolute_url(), reverse("incidents:duplicates")):
            response = client.get(url)
            assert secret.reference not in response.content.decode()
        assert client.get(reverse("incidents:merge", args=[secret.reference, public.reference])).status_code == 404
        assert (
            client.post(reverse("incidents:dismiss_duplicate", args=[public.reference, secret.reference])).status_code
            == 404
        )
    assert client_for(outsider).get(reverse("incidents:duplicates")).status_code == 403
    assert not DuplicateDismissal.objects.exists()


def test_duplicates_page_runs_a_fixed_number_of_queries(researcher, django_assert_max_num_queries):
    for k in range(12):
        near(researcher, latitude=ARIHA[0] + Decimal(k) / 1000)
    client = client_for(researcher)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("incidents:duplicates"))
    assert response.context["total"] == 66


# --- Merging ----------------------------------------------------------------------------------------------


def test_merge_of_the_demo_keeps_every_claim_every_evidence_item_and_the_history(demo):
    researcher = User.objects.get(username="researcher")
    ariha = Incident.objects.get(reference="SYR-2015-0001")
    idlib = Incident.objects.get(reference="SYR-2015-0002")
    photo, report, shared = evidence(researcher, "Photo"), evidence(researcher, "Report"), evidence(researcher, "Both")
    link(photo, idlib, researcher)
    link(report, idlib, researcher)
    link(shared, idlib, researcher)
    link(shared, ariha, researcher)
    claim_ids = set(Claim.objects.filter(incident__in=[ariha, idlib]).values_list("pk", flat=True))
    histories_before = {
        "idlib": idlib.history.count(),
        "ariha": ariha.history.count(),
        "claims": Claim.history.filter(id__in=claim_ids).count(),
    }
    client = client_for(researcher)

    confirm = client.get(reverse("incidents:merge", args=[idlib.reference, ariha.reference]))
    assert confirm.status_code == 200
    assert "Merge SYR-2015-0002 into SYR-2015-0001" in confirm.content.decode()
    assert Claim.objects.filter(incident=idlib).count() == 1  # the confirmation page changes nothing

    response = client.post(
        reverse("incidents:merge", args=[idlib.reference, ariha.reference]), {"note": "Same Amnesty report"}
    )

    assert response.status_code == 302 and response.url == ariha.get_absolute_url()
    assert set(Claim.objects.filter(incident=ariha).values_list("pk", flat=True)) == claim_ids
    assert set(IncidentEvidence.objects.filter(incident=ariha).values_list("evidence__title", flat=True)) == {
        "Photo",
        "Report",
        "Both",
    }
    assert not IncidentEvidence.objects.filter(incident=idlib).exists()
    assert EvidenceItem.objects.count() == 3
    # Every earlier history record is still there, and the merge is in both histories.
    assert idlib.history.count() > histories_before["idlib"]
    assert ariha.history.count() > histories_before["ariha"]
    assert Claim.history.filter(id__in=claim_ids).count() > histories_before["claims"]
    merge_record = idlib.history.get(history_change_reason="merged_into:SYR-2015-0001")
    assert merge_record.merge_note == "Same Amnesty report"
    assert merge_record.merged_into_id == ariha.pk and merge_record.history_user == researcher
    assert ariha.history.filter(history_change_reason="merged_from:SYR-2015-0002").exists()
    assert CustodyEvent.objects.filter(evidence=photo, action="unlinked", detail__merged_into=ariha.reference).exists()
    assert CustodyEvent.objects.filter(evidence=photo, action="linked", detail__merged_from=idlib.reference).exists()
    # The old reference and URL lead to the merged incident.
    assert get_incident_for_user(researcher, idlib.reference) == ariha
    old = client.get(idlib.get_absolute_url())
    assert old.status_code == 302 and old.url == ariha.get_absolute_url()
    page = client.get(ariha.get_absolute_url()).content.decode()
    assert 'Merged into this incident: <span class="ref">SYR-2015-0002</span>' in page
    assert duplicate_candidates(ariha, user=researcher) == []


def test_merge_recomputes_the_cross_check_of_the_kept_incident(researcher):
    kept, gone = near(researcher), near(researcher)
    factories.claim(incident=kept, killed_min=3, killed_max=3, credibility="2")
    factories.claim(incident=gone, killed_min=30, killed_max=30, credibility="2")

    incident_merge(source=gone, target=kept, user=researcher, note="Same market, same day.")

    kept.refresh_from_db()
    assert kept.has_disagreements and kept.suggested_grade == "fair"


def test_viewer_cannot_merge_or_dismiss(viewer, researcher):
    a, b = near(researcher), near(researcher)
    factories.claim(incident=a)
    client = client_for(viewer)

    assert client.get(reverse("incidents:merge", args=[a.reference, b.reference])).status_code == 403
    assert client.post(reverse("incidents:merge", args=[a.reference, b.reference])).status_code == 403
    assert client.post(reverse("incidents:dismiss_duplicate", args=[a.reference, b.reference])).status_code == 403
    a.refresh_from_db()
    assert a.merged_into is None and Claim.objects.get().incident == a
    for url in (a.get_absolute_url(), reverse("incidents:duplicates")):
        page = client.get(url).content.decode()
        assert b.reference in page  # the viewer sees the possible duplicate
        assert "Merge" not in page and "Not a duplicate" not in page  # but is offered no action


def test_a_restricted_incident_cannot_be_merged_into_a_public_one(researcher, desk):
    researcher.groups.add(desk)
    public = near(researcher)
    secret = near(researcher, restricted=True, groups=[desk])
    factories.claim(incident=secret)

    response = client_for(researcher).post(reverse("incidents:merge", args=[secret.reference, public.reference]))

    assert response.status_code == 400
    assert "is restricted" in response.content.decode()
    assert Claim.objects.get().incident == secret
    with pytest.raises(ValidationError):
        incident_merge(source=secret, target=public, user=researcher, note="Same market, same day.")
    # The other way round is fine: public claims may join a restricted record.
    incident_merge(source=public, target=secret, user=researcher, note="Same market, same day.")


def test_merging_into_itself_or_twice_is_refused(researcher):
    a, b, c = near(researcher), near(researcher), near(researcher)
    with pytest.raises(ValidationError):
        incident_merge(source=a, target=a, user=researcher, note="Same market, same day.")
    incident_merge(source=a, target=b, user=researcher, note="Same market, same day.")
    with pytest.raises(ValidationError):
        incident_merge(source=a, target=c, user=researcher, note="Same market, same day.")

    response = client_for(researcher).post(reverse("incidents:merge", args=[a.reference, c.reference]))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.merged_into == b


def test_merging_new_claims_into_a_verified_record_sends_it_back_to_review(researcher):
    kept, gone = near(researcher), near(researcher)
    Incident.objects.filter(pk=kept.pk).update(status="verified")
    factories.claim(incident=gone)

    incident_merge(source=gone, target=kept, user=researcher, note="Same market, same day.")

    kept.refresh_from_db()
    assert kept.status == "submitted"
    assert kept.transitions.get().params == {"change": "merged", "merged": gone.reference}


def test_window_tolerance_is_bounded_by_the_largest_precision():
    # The SQL prefilter widens by the largest tolerance; a month is the largest bounded one.
    from verify.incidents.duplicates import MAX_TOLERANCE_DAYS

    assert MAX_TOLERANCE_DAYS == 31
    assert timedelta(days=MAX_TOLERANCE_DAYS)
