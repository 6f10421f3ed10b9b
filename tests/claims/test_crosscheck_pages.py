"""The claims matrix, its summary and the suggested grade on the incident page, and the flags behind the filters."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests import factories
from verify.claims import services
from verify.claims.filters import IncidentFilter
from verify.claims.models import Claim, Stance
from verify.claims.reasons import reason_text
from verify.incidents.models import Grade, Incident

pytestmark = pytest.mark.django_db
RUSSIA = "Russian Aerospace Forces"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(incident, user, **data) -> Claim:
    data.setdefault("source", factories.source())
    data.setdefault("stance", Stance.ALLEGES)
    data.setdefault("credibility", "2")
    return services.claim_create(user=user, incident=incident, data=data)


def fresh(incident) -> Incident:
    return Incident.objects.get(pk=incident.pk)


# --- The demo Ariha case -----------------------------------------------------------------------------------


def test_demo_ariha_page_shows_34_against_49_and_the_ministrys_denial(demo):
    viewer = User.objects.get(username="viewer")
    response = client_for(viewer).get(reverse("incidents:detail", args=["SYR-2015-0001"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "34–49 killed according to 2 sources; denied by Russian Ministry of Defence (party to the conflict)" in html
    check = response.context["crosscheck"]
    figures = [d for d in check.disagreements if d.kind == "figures"]
    assert [d.message for d in figures] == [
        "Local activists, Idlib: at least 34 killed vs Amnesty International: 49 killed (different counts)"
    ]
    assert {d.kind for d in check.disagreements} == {"figures", "denial"}
    # Both figures are marked in the matrix, in words and not by colour alone.
    rows = {row.claim.source.name: row for row in response.context["matrix_rows"]}
    killed = {name: next(c for c in row.cells if c.column == "killed") for name, row in rows.items()}
    assert killed["Local activists, Idlib"].flagged and killed["Local activists, Idlib"].value == "at least 34"
    assert killed["Amnesty International"].flagged and killed["Amnesty International"].value == "49"
    assert not killed["Russian Ministry of Defence"].flagged
    index = check.disagreements.index(figures[0]) + 1
    assert f'<li id="disagreement-{index}">Local activists, Idlib: at least 34 killed vs Amnesty' in html
    assert html.count(f'aria-describedby="disagreement-{index}" data-disagrees="killed"') == 2


def test_demo_ariha_suggested_grade_is_fair_with_reasons(demo):
    ariha = Incident.objects.get(reference="SYR-2015-0001")

    assert ariha.suggested_grade == Grade.FAIR
    assert ariha.has_disagreements and ariha.denied_by_party
    # Stored as codes with parameters, never as English sentences.
    assert ariha.suggestion_reasons == [
        {"code": "fair_sources", "sources": ["Amnesty International", "Local activists, Idlib"]},
        {"code": "denial_not_contesting", "deniers": [{"name": "Russian Ministry of Defence", "party": True}]},
    ]
    assert [reason_text(r) for r in ariha.suggestion_reasons] == [
        "2 independent sources (Amnesty International and Local activists, Idlib) make credible claims "
        "(credibility 1–3, sources rated A–C).",
        "Denied by Russian Ministry of Defence (party to the conflict); a denial alone does not make the incident "
        "contested.",
    ]
    html = client_for(User.objects.get(username="viewer")).get(ariha.get_absolute_url()).content.decode()
    assert "Suggested grade:" in html and "grade-fair" in html
    assert "a denial alone does not make the incident contested" in html


def test_demo_flags_and_suggestions_for_the_other_cases(demo):
    by_ref = {i.reference: i for i in Incident.objects.all()}
    assert by_ref["SYR-2015-0003"].suggested_grade == Grade.WEAK  # one activist network
    assert by_ref["SYR-2015-0004"].suggested_grade == Grade.WEAK  # the wire service only repeats the activists
    assert by_ref["SYR-2015-0005"].suggested_grade == Grade.CONFIRMED  # the ministry announced its own strikes
    assert by_ref["SYR-2015-0006"].denied_by_party
    assert not by_ref["SYR-2015-0003"].denied_by_party


# --- Grade rules through the services ----------------------------------------------------------------------


def test_a_derived_claim_does_not_turn_weak_into_fair(researcher, incident):
    original = add(incident, researcher, source=factories.source("Activists"))
    assert fresh(incident).suggested_grade == Grade.WEAK

    add(incident, researcher, source=factories.source("Wire"), stance=Stance.CORROBORATES, derived_from=original)

    incident = fresh(incident)
    assert incident.suggested_grade == Grade.WEAK
    assert {"code": "derived_not_counted", "count": 1, "sources": ["Wire"]} in incident.suggestion_reasons
    html = client_for(researcher).get(incident.get_absolute_url()).content.decode()
    assert "Derived from Activists · not independent" in html


def test_a_second_independent_credible_claim_makes_it_fair(researcher, incident):
    add(incident, researcher, source=factories.source("Activists", reliability="C"), credibility="3")
    add(incident, researcher, source=factories.source("Amnesty"))

    assert fresh(incident).suggested_grade == Grade.FAIR


def test_competing_perpetrators_give_contested(researcher, incident):
    add(incident, researcher, perpetrator=factories.actor(RUSSIA))
    add(incident, researcher, perpetrator=factories.actor("Syrian government forces"))

    incident = fresh(incident)
    assert incident.suggested_grade == Grade.CONTESTED
    assert incident.suggestion_reasons[0]["code"] == "competing_perpetrators"
    assert reason_text(incident.suggestion_reasons[0]).startswith("Competing perpetrators are named:")
    assert incident.has_disagreements


def test_an_acknowledgement_by_the_perpetrators_side_gives_confirmed(researcher, incident):
    russia = factories.actor(RUSSIA)
    ministry = factories.source("Ministry", affiliation=russia, reliability="D")
    add(incident, researcher, perpetrator=factories.actor("Syrian government forces"))
    add(incident, researcher, source=ministry, stance=Stance.ACKNOWLEDGES, perpetrator=russia, credibility="2")

    incident = fresh(incident)
    assert incident.suggested_grade == Grade.CONFIRMED
    assert incident.suggestion_reasons[0] == {"code": "acknowledged", "source": "Ministry", "side": RUSSIA}
    assert (
        reason_text(incident.suggestion_reasons[0]) == f"Ministry, speaking for {RUSSIA}, acknowledges responsibility."
    )


def test_no_claims_is_unassessed_and_discounted_is_never_suggested(researcher, incident):
    claim = add(incident, researcher)
    services.claim_delete(claim=claim, user=researcher)

    incident = fresh(incident)
    assert incident.suggested_grade == Grade.UNASSESSED
    assert incident.suggestion_reasons == [{"code": "no_claims"}]


# --- Flags kept up to date ----------------------------------------------------------------------------------


def test_flags_follow_every_claim_write(researcher, admin_user, incident):
    russia = factories.actor(RUSSIA)
    ministry = factories.source("Ministry", affiliation=russia)
    a = add(incident, researcher, killed_min=34, killed_max=34)
    assert not fresh(incident).has_disagreements

    b = add(incident, researcher, killed_min=49, killed_max=49)
    assert fresh(incident).has_disagreements

    services.claim_update(claim=b, user=researcher, data={"killed_min": 30, "killed_max": 40}, expected_version=1)
    assert not fresh(incident).has_disagreements  # 34 lies within 30–40

    denial = add(incident, researcher, source=ministry, stance=Stance.DENIES)
    denial_pk = denial.pk
    incident = fresh(incident)
    assert incident.denied_by_party and incident.has_disagreements

    services.claim_delete(claim=denial, user=admin_user)
    incident = fresh(incident)
    assert not incident.denied_by_party and not incident.has_disagreements
    assert Claim.objects.filter(pk=a.pk).exists()
    assert Claim.history.filter(id=denial_pk, history_type="-").exists()


def test_a_denial_by_a_source_not_party_to_the_conflict_is_not_denied_by_party(researcher, incident):
    add(incident, researcher)
    add(incident, researcher, stance=Stance.DENIES)

    assert not fresh(incident).denied_by_party


def test_list_filters_use_the_flags(researcher, viewer):
    calm = factories.incident(created_by=researcher, title="Calm")
    add(calm, researcher)
    disputed = factories.incident(created_by=researcher, title="Disputed")
    add(disputed, researcher, killed_min=3, killed_max=3)
    add(disputed, researcher, killed_min=9, killed_max=9)

    base = Incident.objects.visible_to(viewer)
    assert list(IncidentFilter({"has_disagreements": "true"}, queryset=base).qs) == [disputed]
    response = client_for(viewer).get(reverse("incidents:list"), {"has_disagreements": "true"})
    assert [i.title for i in response.context["page"].object_list] == ["Disputed"]


def test_suggested_grade_changes_are_in_the_history(researcher, incident):
    add(incident, researcher)

    record = fresh(incident).history.first()
    assert record.suggested_grade == Grade.WEAK
    assert record.history_change_reason == "crosscheck"
    assert record.prev_record.suggested_grade == Grade.UNASSESSED


def test_recompute_command_repairs_stale_flags(researcher, incident):
    add(incident, researcher, killed_min=1, killed_max=1)
    add(incident, researcher, killed_min=9, killed_max=9)
    Incident.objects.filter(pk=incident.pk).update(has_disagreements=False, suggested_grade=Grade.UNASSESSED)

    out = StringIO()
    call_command("recompute_crosscheck", stdout=out)

    incident = fresh(incident)
    assert incident.has_disagreements and incident.suggested_grade == Grade.FAIR
    assert "1 changed" in out.getvalue()


def test_deleting_a_claim_makes_its_derivatives_independent(researcher, admin_user, incident):
    original = add(incident, researcher)
    repeat = add(incident, researcher, derived_from=original)

    response = client_for(admin_user).post(reverse("claims:delete", args=[original.pk]))

    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.derived_from is None
    assert not Claim.objects.filter(pk=original.pk).exists()


def test_researcher_cannot_delete_claims(researcher, incident):
    claim = add(incident, researcher)

    assert client_for(researcher).post(reverse("claims:delete", args=[claim.pk])).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_detail_page_queries_do_not_grow_with_the_claims(researcher, viewer):
    incident = factories.incident(created_by=researcher)
    for n in range(3):
        add(incident, researcher, killed_min=n, killed_max=n, perpetrator=factories.actor())
    client = client_for(viewer)
    url = incident.get_absolute_url()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(7):
        add(incident, researcher, killed_min=n, killed_max=n, perpetrator=factories.actor())
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # The history lists each claim, so allow for it; the matrix itself adds nothing per claim.
    history_per_claim = 2
    assert len(many) <= len(few) + 7 * history_per_claim
