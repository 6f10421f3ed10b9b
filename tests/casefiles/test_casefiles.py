"""Case files: the report, custody, who may export what, approval, integrity faults, interrupted builds, pages."""

import io
import json
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests import factories
from tests.casefiles.conftest import ARIHA, build, casefile_path, check, evidence_of, read_all, user_named
from tests.evidence.conftest import jpeg
from verify.casefiles import builder, services
from verify.casefiles.models import CaseFileRequest, ErrorCode, State
from verify.evidence import services as evidence_services
from verify.evidence import storage
from verify.evidence.models import CustodyAction, CustodyEvent, EvidenceItem, FixityStatus
from verify.incidents.models import Incident


def _pdf_text(data: bytes) -> str:
    """The report's text, with line breaks and runs of spaces folded (table cells wrap)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_report_holds_the_claims_matrix_and_the_hashes(ariha):
    request = build(user_named("reviewer"), [ariha])
    files = read_all(casefile_path(request))
    text = _pdf_text(files["report.pdf"])
    assert ARIHA in text and "Claims matrix" in text and "Submitted" in text
    for name in ("Local activists, Idlib", "Amnesty International", "Three missiles", "Denies"):
        assert name in text, name
    assert "34" in text and "49" in text
    for item in evidence_of(ariha):
        assert item.sha256 in text
    assert "precision" in text


def test_every_exported_item_gets_a_custody_event_with_the_case_files_hash(ariha):
    reviewer = user_named("reviewer")
    before = timezone.now()
    request = build(reviewer, [ariha])
    items = evidence_of(ariha)
    assert request.evidence_count == len(items) == 2
    for item in items:
        event = CustodyEvent.objects.get(evidence=item, action=CustodyAction.EXPORTED, at__gte=before)
        assert event.actor == reviewer
        assert event.sha256 == item.sha256
        assert event.detail["casefile"] == request.label
        assert event.detail["casefile_sha256"] == request.sha256
        assert event.detail["path"].startswith(f"incident-{ARIHA}/evidence/{item.sha256}.")


def test_a_restricted_incident_and_its_evidence_are_left_out_for_an_outsider(ariha, desk):
    reviewer = user_named("reviewer")  # not in the desk
    author = factories.user("rita", role="Researcher")
    author.groups.add(desk)
    secret = factories.incident(created_by=author, title="Restricted strike", restricted=True, groups=[desk])
    hidden, _ = evidence_services.evidence_store(
        user=author,
        original_filename="secret.jpg",
        metadata={"title": "Secret photo", "kind": "photo"},
        incident=secret,
        chunks=[jpeg(seed=7)],
    )
    # Also linked to Ariha: restriction wins, so the outsider's case file of Ariha leaves it out.
    evidence_services.evidence_link(evidence=hidden, incident=ariha, user=author)

    with pytest.raises(services.RequestRefused):
        services.casefile_request_create(user=reviewer, incidents=[secret])
    request = build(reviewer, [ariha, secret])
    assert list(request.incidents.all()) == [ariha]
    files = read_all(casefile_path(request))
    assert not any(hidden.sha256 in name for name in files)
    assert not any(b"Restricted strike" in data or b"Secret photo" in data for data in files.values())
    assert not CustodyEvent.objects.filter(evidence=hidden, action=CustodyAction.EXPORTED).exists()

    # Someone in the desk gets both.
    admin = factories.user("ada", role="Admin")
    request = build(admin, [ariha, secret])
    names = read_all(casefile_path(request))
    assert any(hidden.sha256 in name for name in names) and f"incident-{secret.reference}/record.json" in names


def test_the_pages_hide_a_restricted_incident_from_an_outsider(client, ariha, desk):
    author = factories.user("rita", role="Researcher")
    secret = factories.incident(created_by=author, title="Restricted strike", restricted=True, groups=[desk])
    client.force_login(user_named("reviewer"))
    assert client.get(reverse("casefiles:request_incident", args=[secret.reference])).status_code == 404
    page = client.get(reverse("casefiles:request_filtered"), {"q": "strike"})
    assert page.status_code == 200 and b"Restricted strike" not in page.content


def test_a_build_that_loses_sight_of_an_incident_fails(ariha, desk):
    reviewer = user_named("reviewer")
    request = services.casefile_request_create(user=reviewer, incidents=[ariha])
    Incident.objects.filter(pk=ariha.pk).update(restricted=True)
    ariha.allowed_groups.set([desk])
    services.casefile_build(request_id=request.pk)
    request.refresh_from_db()
    assert request.state == State.FAILED and request.error_code == ErrorCode.NO_LONGER_VISIBLE
    assert ARIHA in request.error_text


def test_viewers_may_not_request_case_files(client, ariha):
    viewer = factories.user("vera", role="Viewer")
    with pytest.raises(services.RequestRefused):
        services.casefile_request_create(user=viewer, incidents=[ariha])
    client.force_login(viewer)
    assert client.get(reverse("casefiles:request_incident", args=[ARIHA])).status_code == 403


def test_the_approval_flow(client, ariha, settings, django_capture_on_commit_callbacks):
    settings.CASEFILE_REQUIRE_APPROVAL = True
    reviewer, admin = user_named("reviewer"), user_named("admin")
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("casefiles:request_incident", args=[ARIHA]), {"note": "For the UN COI"})
    request = CaseFileRequest.objects.get()
    assert response.url == request.get_absolute_url()
    assert request.state == State.AWAITING_APPROVAL and not request.file_name
    assert client.get(reverse("casefiles:download", args=[request.pk])).status_code == 404
    # The requester cannot approve (nor can a reviewer at all), and nobody approves their own.
    assert client.post(reverse("casefiles:decide", args=[request.pk]), {"decision": "approve"}).status_code == 403
    with pytest.raises(services.RequestRefused):
        services.casefile_decide(request=request, user=reviewer, approve=True)
    other = factories.user("ada", role="Admin")
    own = services.casefile_request_create(user=other, incidents=[ariha])
    with pytest.raises(services.RequestRefused):
        services.casefile_decide(request=own, user=other, approve=True)

    client.force_login(admin)
    page = client.get(reverse("casefiles:approvals"))
    assert request.label.encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casefiles:decide", args=[request.pk]), {"decision": "approve", "note": "ok"})
    request.refresh_from_db()
    assert request.state == State.READY and request.decided_by == admin
    assert client.get(reverse("casefiles:download", args=[request.pk])).status_code == 404  # not the admin's file

    client.force_login(reviewer)
    response = client.get(reverse("casefiles:download", args=[request.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    import hashlib

    assert hashlib.sha256(data).hexdigest() == request.sha256

    # A rejected request is never built; an unapproved one expires.
    services.casefile_decide(request=own, user=admin, approve=False, note="Not needed")
    own.refresh_from_db()
    assert own.state == State.REJECTED and not own.file_name
    late = services.casefile_request_create(user=reviewer, incidents=[ariha])
    CaseFileRequest.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.RequestRefused):
        services.casefile_decide(request=late, user=admin, approve=True)
    services.casefile_sweep()
    late.refresh_from_db()
    assert late.state == State.EXPIRED


def test_an_expired_case_file_is_removed_by_the_sweep(client, ariha):
    reviewer = user_named("reviewer")
    request = build(reviewer, [ariha])
    path = casefile_path(request)
    assert path.is_file()
    CaseFileRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(reviewer)
    assert client.get(reverse("casefiles:download", args=[request.pk])).status_code == 404
    assert services.casefile_sweep()["expired"] == 1
    request.refresh_from_db()
    assert request.state == State.EXPIRED and not request.file_name and not path.exists()


def test_a_file_failing_fixity_fails_the_request_naming_it_unless_included(ariha):
    reviewer = user_named("reviewer")
    photo = evidence_of(ariha)[0]
    EvidenceItem.objects.filter(pk=photo.pk).update(fixity_status=FixityStatus.CHANGED)
    request = build(reviewer, [ariha])
    assert request.state == State.FAILED and request.error_code == ErrorCode.FIXITY_FAILED
    assert photo.sha256 in request.error_text and photo.title in request.error_text and ARIHA in request.error_text
    assert not list(builder.root().glob("*.zip"))

    request = build(reviewer, [ariha], include_failed_integrity=True)
    assert request.state == State.READY
    files = read_all(casefile_path(request))
    meta = json.loads(files[f"incident-{ARIHA}/evidence/{photo.sha256}.metadata.json"])
    assert meta["integrity"]["integrity_failed"] == "fixity_failed" and not meta["integrity"]["intact"]
    assert check(casefile_path(request)) == []
    event = CustodyEvent.objects.get(evidence=photo, action=CustodyAction.EXPORTED)
    assert event.detail["integrity_failed"] == "fixity_failed"


def test_a_file_missing_from_storage_fails_the_request_naming_it_unless_included(ariha):
    reviewer = user_named("reviewer")
    note = evidence_of(ariha)[1]
    storage.path_for(note.storage_name).unlink()
    request = build(reviewer, [ariha])
    assert request.state == State.FAILED and request.error_code == ErrorCode.MISSING
    assert note.sha256 in request.error_text and "missing" in request.error_text

    request = build(reviewer, [ariha], include_failed_integrity=True)
    assert request.state == State.READY and request.evidence_count == 2
    files = read_all(casefile_path(request))
    meta = json.loads(files[f"incident-{ARIHA}/evidence/{note.sha256}.metadata.json"])
    assert meta["integrity"]["integrity_failed"] == "missing" and meta["integrity"]["file"] is None
    assert not any(n.startswith(f"incident-{ARIHA}/evidence/{note.sha256}.txt") for n in files)


def test_a_file_changed_on_disk_is_caught_while_exporting(ariha):
    reviewer = user_named("reviewer")
    note = evidence_of(ariha)[1]
    path = storage.path_for(note.storage_name)
    os.chmod(path, 0o640)
    path.write_bytes(path.read_bytes().replace(b"three", b"two  "))
    request = build(reviewer, [ariha])
    assert request.state == State.FAILED and request.error_code == ErrorCode.CHANGED_WHILE_EXPORTING
    assert note.sha256 in request.error_text
    note.refresh_from_db()
    assert note.fixity_status == FixityStatus.CHANGED  # flagged, with a custody event of its own
    assert CustodyEvent.objects.filter(evidence=note, action=CustodyAction.FIXITY_FAILED).exists()
    assert not CustodyEvent.objects.filter(evidence=note, action=CustodyAction.EXPORTED).exists()


def test_a_build_interrupted_midway_leaves_nothing_offered_and_can_be_retried(client, ariha):
    reviewer = user_named("reviewer")
    request = services.casefile_request_create(user=reviewer, incidents=[ariha])

    def killed(done: int) -> None:
        raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        services.casefile_build(request_id=request.pk, progress=killed)
    request.refresh_from_db()
    assert request.state == State.FAILED and not request.file_name and not request.is_downloadable
    assert [p for p in builder.root().rglob("*") if p.is_file()] == []
    assert not CustodyEvent.objects.filter(action=CustodyAction.EXPORTED).exists()
    client.force_login(reviewer)
    assert client.get(reverse("casefiles:download", args=[request.pk])).status_code == 404
    page = client.get(request.get_absolute_url())
    assert b"Try again" in page.content

    assert services.casefile_retry(request=request, user=reviewer)
    services.casefile_build(request_id=request.pk)
    request.refresh_from_db()
    assert request.state == State.READY and check(casefile_path(request)) == []


def test_a_killed_worker_s_leftovers_are_swept(ariha, settings):
    """A SIGKILL runs no cleanup: the temporary file is never offered, and the sweep removes it later."""
    reviewer = user_named("reviewer")
    request = services.casefile_request_create(user=reviewer, incidents=[ariha])
    stale = timezone.now() - timedelta(seconds=settings.CASEFILE_TASK_TIME_LIMIT + 120)
    CaseFileRequest.objects.filter(pk=request.pk).update(state=State.BUILDING, started_at=stale)
    builder.tmp_dir().mkdir(parents=True, exist_ok=True)
    leftover = builder.tmp_dir() / f"{request.label}-dead{builder.TMP_SUFFIX}"
    leftover.write_bytes(b"PK\x03\x04half a case file")
    os.utime(leftover, (stale.timestamp(), stale.timestamp()))
    counts = services.casefile_sweep()
    assert counts["abandoned"] == 1 and counts["tmp"] == 1 and not leftover.exists()
    request.refresh_from_db()
    assert request.state == State.FAILED and request.error_code == ErrorCode.INTERRUPTED and request.can_retry


def test_pages_request_follow_and_download(client, ariha, django_capture_on_commit_callbacks):
    reviewer = user_named("reviewer")
    client.force_login(reviewer)
    page = client.get(reverse("casefiles:request_incident", args=[ARIHA]))
    assert page.status_code == 200 and b"Missile strike on Ariha market" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("casefiles:request_filtered") + "?q=Ariha", {})
    request = CaseFileRequest.objects.get()
    assert response.status_code == 302 and request.filter_query == "q=Ariha"
    assert ariha in request.incidents.all()
    status = client.get(reverse("casefiles:status", args=[request.pk])).json()
    assert status["status"] == "ready" and status["percent"] == 100 and status["finished"]
    detail = client.get(request.get_absolute_url())
    assert request.sha256.encode() in detail.content and reverse("casefiles:download", args=[request.pk]).encode() in (
        detail.content
    )
    assert client.get(reverse("casefiles:list")).status_code == 200
    assert client.get(reverse("casefiles:request_filtered"), {"grade": "excellent"}).status_code == 400

    # Someone else's case file is a 404, even for another reviewer.
    client.force_login(factories.user("ravi2", role="Reviewer"))
    assert client.get(request.get_absolute_url()).status_code == 404
    assert client.get(reverse("casefiles:download", args=[request.pk])).status_code == 404
    assert client.get(reverse("casefiles:status", args=[request.pk])).status_code == 404


def test_no_signing_key_fails_with_the_reason(ariha, settings, tmp_path):
    settings.CASEFILE_SIGNING_KEY = str(tmp_path / "nowhere.pem")
    request = build(user_named("reviewer"), [ariha])
    assert request.state == State.FAILED and request.error_code == ErrorCode.NO_SIGNING_KEY
    assert "CASEFILE_SIGNING_KEY" in request.error_text


def test_the_report_follows_the_requesters_language_direction(ariha, tmp_path):
    """Arabic (once its catalog lands) is laid out right to left; the font covers Arabic script."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from verify.casefiles.report import ReportIncident, render_report
    from verify.claims.crosscheck import incident_crosscheck

    entry = ReportIncident(incident=ariha, check=incident_crosscheck(ariha))
    meta = {"generated_at": timezone.now(), "requested_by": "سمير", "evidence_count": 0, "fingerprint": "ab" * 32}
    with translation.override("ar"):
        html = render_to_string(
            "casefiles/report.html",
            {
                "label": "CF-1",
                "incidents": [entry.context()],
                "meta": meta,
                "LANGUAGE_CODE": "ar",
                "LANGUAGE_BIDI": True,
            },
        )
    assert '<html lang="ar" dir="rtl">' in html
    target = tmp_path / "report.pdf"
    render_report(target, label="CF-1", language="ar", incidents=[entry], meta=meta)
    text = _pdf_text(target.read_bytes())
    assert "سمير" in text or "ريمس" in text  # extraction order of right-to-left text varies
