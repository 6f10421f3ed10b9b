"""Claim suggestions: paste or upload a report, review the suggestions, and accept some as claims."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from verify.claims.models import Claim, Stance
from verify.incidents.models import Incident
from verify.suggestions.services import best_match, pdf_text

pytestmark = pytest.mark.django_db
URL = reverse("suggestions:report")

REPORT = (
    "At least 34 civilians were killed on Sunday when missiles hit the market in Ariha, according to local "
    "activists. The Russian Ministry of Defence denied the reports. Witnesses said <script>alert('x')</script> three "
    "people were killed."
)


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer, written by hand so the test needs no PDF library."""
    text = " ".join(f"({line}) Tj T*" for line in lines)
    stream = f"BT /F1 11 Tf 14 TL 50 750 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def register(places):
    return {
        "activists": factories.source("Local activists"),
        "ministry": factories.source("Russian Ministry of Defence"),
        "amnesty": factories.source("Amnesty International"),
    }


def review(client, **fields):
    data = {"text": REPORT, "published_on": "2015-11-30", "url": "https://example.org/wire"} | fields
    return client.post(URL, data)


def test_viewer_cannot_use_suggestions(client, viewer):
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    assert review(client, incident="SYR-2015-0001").status_code == 403


def test_suggestions_are_highlighted_and_escaped(client, researcher, register, incident):
    client.force_login(researcher)
    response = review(client, incident=incident.reference)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<mark title="killed">At least 34</mark>' in html
    assert '<mark title="attribution">local activists</mark>' in html
    assert '<mark title="place">Ariha</mark>' in html
    assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html
    # The matched source is preselected: "local activists" is the register's "Local activists".
    assert f'<option value="{register["activists"].pk}" selected>Local activists</option>' in html
    assert not Claim.objects.exists(), "nothing is saved before the researcher accepts"


def test_accepted_suggestions_become_claims_linked_to_the_report(client, researcher, register, incident, places):
    client.force_login(researcher)
    html = review(client, incident=incident.reference).content.decode()
    assert 'name="count" value="3"' in html
    post = {
        "step": "review",
        "count": "3",
        "incident": incident.reference,
        "url": "https://example.org/wire",
        "published_on": "2015-11-30",
        # Suggestion 1 accepted as found, with the figure corrected by the researcher.
        "s0-accept": "on",
        "s0-source": register["activists"].pk,
        "s0-stance": "alleges",
        "s0-killed_min": "35",
        "s0-event_date": "2015-11-29",
        "s0-event_date_precision": "day",
        "s0-place": places["ariha"].pk,
        "s0-credibility": "3",
        "s0-excerpt": "At least 34 civilians were killed on Sunday.",
        "s0-munition": "missiles",
        # Suggestion 2 accepted: the denial.
        "s1-accept": "on",
        "s1-source": register["ministry"].pk,
        "s1-stance": "denies",
        "s1-credibility": "6",
        "s1-event_date_precision": "day",
        "s1-excerpt": "The ministry denied the reports.",
        # Suggestion 3 rejected: not even validated.
        "s2-source": "",
        "s2-killed_min": "not a number",
    }
    response = client.post(URL, post)
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    claims = {c.source.name: c for c in Claim.objects.filter(incident=incident).select_related("source")}
    assert set(claims) == {"Local activists", "Russian Ministry of Defence"}
    activists = claims["Local activists"]
    assert activists.killed_min == 35 and activists.event_date == date(2015, 11, 29)
    assert activists.url == "https://example.org/wire" and activists.published_on == date(2015, 11, 30)
    assert activists.place == places["ariha"] and activists.created_by == researcher
    assert claims["Russian Ministry of Defence"].stance == Stance.DENIES


def test_accepting_with_a_bad_field_saves_nothing(client, researcher, register, incident):
    client.force_login(researcher)
    post = {
        "step": "review",
        "count": "2",
        "incident": incident.reference,
        "s0-accept": "on",
        "s0-source": register["activists"].pk,
        "s0-stance": "alleges",
        "s0-killed_min": "50",
        "s0-killed_max": "40",
        "s0-credibility": "3",
        "s0-event_date_precision": "day",
        "s1-accept": "on",
        "s1-source": register["ministry"].pk,
        "s1-stance": "denies",
        "s1-credibility": "6",
        "s1-event_date_precision": "day",
    }
    response = client.post(URL, post)
    assert response.status_code == 400
    assert "The maximum killed cannot be lower than the minimum." in response.content.decode()
    assert not Claim.objects.exists()


def test_new_incident_is_created_only_when_a_suggestion_is_accepted(client, researcher, register, places):
    client.force_login(researcher)
    post = {
        "step": "review",
        "count": "1",
        "new_title": "Ariha market strike (from wire)",
        "s0-accept": "on",
        "s0-source": register["activists"].pk,
        "s0-stance": "alleges",
        "s0-killed_min": "34",
        "s0-credibility": "3",
        "s0-event_date": "2015-11-29",
        "s0-event_date_precision": "day",
        "s0-place": places["ariha"].pk,
    }
    response = client.post(URL, post | {"s0-accept": ""})
    assert response.status_code == 400 and not Incident.objects.exists()
    response = client.post(URL, post)
    incident = Incident.objects.get()
    assert response["Location"] == incident.get_absolute_url()
    assert incident.title == "Ariha market strike (from wire)"
    assert incident.date_start == date(2015, 11, 29) and incident.place == places["ariha"]
    assert incident.latitude == places["ariha"].latitude
    assert incident.claims.get().killed_min == 34


def test_restricted_incident_is_a_404_for_outsiders_of_its_group(client, researcher2, restricted_incident, register):
    client.force_login(researcher2)
    response = review(client, incident=restricted_incident.reference)
    assert "No incident with this reference that you can see." in response.content.decode()
    post = {"step": "review", "count": "1", "incident": restricted_incident.reference, "s0-accept": "on"}
    assert client.post(URL, post).status_code == 404


def test_pdf_upload_is_read_offline(client, researcher, register, incident):
    client.force_login(researcher)
    pdf = make_pdf(["Amnesty International said three missiles", "killed 49 civilians in Ariha."])
    assert "killed 49 civilians" in pdf_text(io.BytesIO(pdf))
    response = client.post(
        URL,
        {"pdf": SimpleUploadedFile("report.pdf", pdf, "application/pdf"), "incident": incident.reference},
    )
    html = response.content.decode()
    assert '<mark title="killed">49</mark>' in html
    assert f'<option value="{register["amnesty"].pk}" selected>Amnesty International</option>' in html


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "This file is not a PDF."),
        (b"%PDF-1.4\nthis is not really a pdf", "The PDF cannot be read"),
    ],
)
def test_bad_pdf_gets_a_clear_error(client, researcher, incident, payload, message):
    client.force_login(researcher)
    response = client.post(URL, {"pdf": SimpleUploadedFile("r.pdf", payload), "incident": incident.reference})
    assert response.status_code == 200 and message in response.content.decode()


def test_source_matching():
    sources = [
        ("activists", "Local activists"),
        ("mod", "Russian Ministry of Defence"),
        ("ai", "Amnesty International"),
    ]
    assert best_match("Activists", sources) == "activists"
    assert best_match("Amnesty", sources) == "ai"
    assert best_match("Russia's Defense Ministry", sources) == "mod"
    assert best_match("Human Rights Watch", sources) is None


def test_capital_stands_for_its_state():
    sources = [("mod", "Russian Ministry of Defence"), ("sana", "Syrian Arab News Agency")]
    assert best_match("Moscow's defence ministry", sources) == "mod"


def test_objective_found_is_preselected(client, researcher, register, incident):
    client.force_login(researcher)
    text = "Amnesty International said the nearest military position was about 300 metres from the market."
    html = review(client, incident=incident.reference, text=text).content.decode()
    assert '<option value="true" selected>Present</option>' in html
    assert 'name="s0-military_objective_distance_m" value="300"' in html


def test_accepted_claims_from_a_pdf_are_supported_by_it_as_evidence(
    client, researcher, register, incident, settings, django_capture_on_commit_callbacks
):
    import hashlib

    from verify.evidence.models import ClaimEvidence, CustodyEvent, IncidentEvidence

    client.force_login(researcher)
    pdf = make_pdf(["Amnesty International said three missiles", "killed 49 civilians in Ariha."])
    html = client.post(
        URL, {"pdf": SimpleUploadedFile("amnesty.pdf", pdf), "incident": incident.reference}
    ).content.decode()
    token = html.split('name="pdf_token" value="')[1].split('"')[0]
    stashed = settings.IMPORT_ROOT / "reports" / f"{token}.pdf"
    assert stashed.read_bytes() == pdf
    post = {
        "step": "review",
        "count": "1",
        "incident": incident.reference,
        "pdf_token": token,
        "pdf_name": "amnesty.pdf",
        "s0-accept": "on",
        "s0-source": register["amnesty"].pk,
        "s0-stance": "alleges",
        "s0-killed_min": "49",
        "s0-killed_max": "49",
        "s0-credibility": "2",
        "s0-event_date_precision": "day",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, post)
    claim = Claim.objects.get(incident=incident)
    link = ClaimEvidence.objects.select_related("evidence").get(claim=claim)
    assert link.relation == "supports"
    assert link.evidence.sha256 == hashlib.sha256(pdf).hexdigest()
    assert link.evidence.original_filename == "amnesty.pdf" and link.evidence.kind == "document"
    assert IncidentEvidence.objects.filter(incident=incident, evidence=link.evidence).exists()
    assert CustodyEvent.objects.filter(evidence=link.evidence, action="linked").count() == 2
    assert not stashed.exists()


def test_a_forged_pdf_token_is_ignored(client, researcher, register, incident):
    from verify.evidence.models import EvidenceItem

    client.force_login(researcher)
    post = {
        "step": "review",
        "count": "1",
        "incident": incident.reference,
        "pdf_token": "../../etc/passwd",
        "s0-accept": "on",
        "s0-source": register["amnesty"].pk,
        "s0-stance": "alleges",
        "s0-credibility": "2",
        "s0-event_date_precision": "day",
    }
    assert client.post(URL, post).status_code == 302
    assert Claim.objects.filter(incident=incident).count() == 1
    assert not EvidenceItem.objects.exists()


def test_the_sweep_removes_reports_never_accepted_after_a_day(settings, tmp_path):
    import os
    import time

    from verify.suggestions.services import report_stash, report_stash_sweep, report_stashed

    settings.IMPORT_ROOT = tmp_path
    old, fresh = report_stash([b"%PDF-1.4 old"]), report_stash([b"%PDF-1.4 new"])
    old_path = report_stashed(old)
    day_and_a_bit = time.time() - 25 * 3600
    os.utime(old_path, (day_and_a_bit, day_and_a_bit))

    assert report_stash_sweep() == 1
    assert not old_path.exists()
    assert report_stashed(fresh).exists()
