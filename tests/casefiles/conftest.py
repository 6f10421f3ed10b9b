"""Case-file tests: a signing key and a private case-file root per test, the demo's Ariha incident with evidence,
and helpers to build a case file, run the checker and tamper with an archive."""

import importlib.machinery
import importlib.util
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.evidence.conftest import jpeg
from verify.casefiles import services, signing
from verify.casefiles.models import CaseFileRequest
from verify.evidence import services as evidence_services
from verify.evidence.models import EvidenceItem, VerificationCheck
from verify.incidents.models import Incident

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "scripts" / "verify-casefile"
ARIHA = "SYR-2015-0001"


def load_checker():
    loader = importlib.machinery.SourceFileLoader("verify_casefile", str(CHECKER))
    spec = importlib.util.spec_from_loader("verify_casefile", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


checker = load_checker()


def check(path, **kwargs) -> list[str]:
    """The checker's problems for this case file (empty: it passes)."""
    return checker.check(str(path), out=lambda line: None, **kwargs)


def run_checker(path, *args, isolated: bool = False) -> subprocess.CompletedProcess:
    """The checker as someone else runs it; isolated: without site-packages, so without `cryptography`."""
    flags = ["-I", "-S"] if isolated else []
    return subprocess.run(
        [sys.executable, *flags, str(CHECKER), str(path), *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(autouse=True)
def _casefile_settings(settings, tmp_path):
    settings.CASEFILE_ROOT = tmp_path / "casefiles"
    settings.CASEFILE_SIGNING_KEY = str(tmp_path / "signing-key.pem")
    settings.CASEFILE_REQUIRE_APPROVAL = False
    signing.generate_key(Path(settings.CASEFILE_SIGNING_KEY))


@pytest.fixture
def ariha(demo) -> Incident:
    """The demo's Ariha market strike with two evidence files (a photo with GPS and a text file) and a check."""
    incident = Incident.objects.get(reference=ARIHA)
    researcher = User.objects.get(username="researcher")
    photo, _ = evidence_services.evidence_store(
        user=researcher,
        original_filename="market-street.jpg",
        metadata={"title": "Market street after the strike", "kind": "photo"},
        incident=incident,
        chunks=[jpeg(seed=1, gps=(35.8137, 36.6079), taken="2015:11:29 12:40:00", model="Phone")],
    )
    evidence_services.evidence_process(evidence_id=photo.pk)
    evidence_services.evidence_store(
        user=researcher,
        original_filename="witness-notes.txt",
        metadata={"title": "Witness notes", "kind": "testimony"},
        incident=incident,
        chunks=[("Witness account: three missiles hit the market at noon. السوق الرئيسي\n" * 50).encode()],
    )
    VerificationCheck.objects.create(
        evidence=photo, kind="geolocated", result="pass", note="Matches the market street.", performed_by=researcher
    )
    return incident


def evidence_of(incident: Incident) -> list[EvidenceItem]:
    return list(EvidenceItem.objects.filter(incident_links__incident=incident).order_by("created_at", "pk"))


def build(user, incidents, **kwargs) -> CaseFileRequest:
    request = services.casefile_request_create(user=user, incidents=incidents, language="en", **kwargs)
    services.casefile_build(request_id=request.pk)
    request.refresh_from_db()
    return request


def casefile_path(request: CaseFileRequest) -> Path:
    from verify.casefiles.builder import path_for

    return path_for(request.file_name)


def read_all(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_all(path, files: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    Path(path).write_bytes(buffer.getvalue())


def user_named(username: str) -> User:
    return User.objects.get(username=username)
