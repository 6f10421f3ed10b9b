"""The demo's Ariha incident exported as a case file: the checker passes it, and catches every kind of tampering."""

import base64
import hashlib
import shutil

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.casefiles.conftest import (
    ARIHA,
    build,
    casefile_path,
    check,
    checker,
    evidence_of,
    read_all,
    run_checker,
    user_named,
    write_all,
)
from verify.casefiles import signing
from verify.casefiles.models import State
from verify.evidence import storage


@pytest.fixture
def casefile(ariha, tmp_path):
    request = build(user_named("reviewer"), [ariha])
    assert request.state == State.READY, request.error_text
    copy = tmp_path / "copy.zip"
    shutil.copy(casefile_path(request), copy)
    copy.chmod(0o644)
    return request, copy


def test_the_ariha_case_file_passes_and_holds_what_the_issue_lists(casefile, ariha):
    request, path = casefile
    result = run_checker(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2" in result.stdout and "OK:" in result.stdout

    files = read_all(path)
    base = f"incident-{ARIHA}"
    for name in ("README.txt", "report.pdf", "MANIFEST.sha256", "MANIFEST.sig", "signing-key.pub", "verify-casefile"):
        assert name in files
    for name in ("record.json", "claims.csv", "claims.json"):
        assert f"{base}/{name}" in files
    for item in evidence_of(ariha):
        ext = item.original_filename.rsplit(".", 1)[1]
        with storage.open_stored(item.storage_name) as fh:
            assert files[f"{base}/evidence/{item.sha256}.{ext}"] == fh.read()  # byte for byte
        for suffix in ("metadata.json", "checks.json", "custody.csv", "custody.json"):
            assert f"{base}/evidence/{item.sha256}.{suffix}" in files
    # The shipped checker is the repository's.
    assert files["verify-casefile"] == checker.__loader__.get_data(checker.__file__)
    # The manifest lists every other file, in sha256sum format.
    listed = {line.split("  ", 1)[1] for line in files["MANIFEST.sha256"].decode().splitlines()}
    assert listed == set(files) - {"MANIFEST.sha256", "MANIFEST.sig"}
    # The request records the case file's own hash and size.
    data = casefile_path(request).read_bytes()
    assert hashlib.sha256(data).hexdigest() == request.sha256 and len(data) == request.size_bytes


def test_record_and_claims_hold_history_decisions_and_the_matrix(casefile):
    import json

    _, path = casefile
    files = read_all(path)
    record = json.loads(files[f"incident-{ARIHA}/record.json"])
    assert record["incident"]["reference"] == ARIHA
    assert record["history"] and record["history"][0]["type"] == "created"
    assert {t["to"] for t in record["status_transitions"]} >= {"submitted"}
    claims = json.loads(files[f"incident-{ARIHA}/claims.json"])
    sources = {c["source"] for c in claims["claims"]}
    assert {"Amnesty International", "Local activists, Idlib"} <= sources
    assert claims["summary"] and claims["suggestion_reasons"] and claims["disagreements"]
    assert any(c["stance"] == "denies" for c in claims["claims"])
    csv_text = files[f"incident-{ARIHA}/claims.csv"].decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("claim_id,source,source_kind,source_reliability")
    assert len(csv_text.splitlines()) == 1 + len(claims["claims"])


def _members(path) -> list[str]:
    return [n for n in read_all(path) if n not in ("MANIFEST.sha256", "MANIFEST.sig")]


def test_one_changed_byte_in_any_file_fails_naming_it(casefile):
    _, path = casefile
    original = read_all(path)
    for name in _members(path):
        files = dict(original)
        data = bytearray(files[name])
        data[len(data) // 2] ^= 0x01
        files[name] = bytes(data)
        write_all(path, files)
        problems = check(path)
        assert any(p.startswith(f"CHANGED: {name} ") for p in problems), (name, problems)


def test_a_removed_file_fails(casefile):
    _, path = casefile
    files = read_all(path)
    name = next(n for n in files if n.endswith(".jpg"))
    del files[name]
    write_all(path, files)
    assert f"MISSING: {name} is listed in the manifest but not in the archive" in check(path)
    result = run_checker(path)
    assert result.returncode == 1 and "MISSING" in result.stdout and "FAILED" in result.stdout


def test_an_added_file_fails(casefile):
    _, path = casefile
    files = read_all(path)
    files[f"incident-{ARIHA}/evidence/planted.jpg"] = b"not part of the case file"
    write_all(path, files)
    assert check(path) == [f"EXTRA: incident-{ARIHA}/evidence/planted.jpg is in the archive but not in the manifest"]
    assert run_checker(path).returncode == 1


def test_an_edited_manifest_fails_its_signature(casefile):
    _, path = casefile
    files = read_all(path)
    # Change a file and "fix" the manifest to match: only the signature can tell.
    name = f"incident-{ARIHA}/claims.csv"
    old = hashlib.sha256(files[name]).hexdigest()
    files[name] += b"999,Forged source\n"
    new = hashlib.sha256(files[name]).hexdigest()
    files["MANIFEST.sha256"] = files["MANIFEST.sha256"].replace(old.encode(), new.encode())
    write_all(path, files)
    problems = check(path)
    assert len(problems) == 1 and problems[0].startswith("BAD SIGNATURE: MANIFEST.sig is not a valid signature")


def test_a_malformed_manifest_line_is_named(casefile):
    _, path = casefile
    files = read_all(path)
    files["MANIFEST.sha256"] += b"this is not a manifest line\n"
    write_all(path, files)
    problems = check(path)
    assert any("line" in p and "not in sha256sum format" in p for p in problems)
    assert any(p.startswith("BAD SIGNATURE") for p in problems)


def test_a_signature_by_another_key_fails(casefile):
    _, path = casefile
    files = read_all(path)
    other = Ed25519PrivateKey.generate()
    files["MANIFEST.sig"] = signing.sign(other, files["MANIFEST.sha256"])
    write_all(path, files)
    problems = check(path)
    assert len(problems) == 1 and problems[0].startswith("BAD SIGNATURE")
    assert check(path, pure=True)[0].startswith("BAD SIGNATURE")


def test_a_case_file_re_signed_with_another_key_fails_the_fingerprint(casefile, settings):
    _, path = casefile
    ours = signing.fingerprint(signing.load_key())
    files = read_all(path)
    other = Ed25519PrivateKey.generate()
    files["signing-key.pub"] = signing.public_key_file(other)
    manifest = files["MANIFEST.sha256"].decode().splitlines()
    digest = hashlib.sha256(files["signing-key.pub"]).hexdigest()
    manifest = [f"{digest}  signing-key.pub" if line.endswith("  signing-key.pub") else line for line in manifest]
    files["MANIFEST.sha256"] = ("\n".join(manifest) + "\n").encode()
    files["MANIFEST.sig"] = signing.sign(other, files["MANIFEST.sha256"])
    write_all(path, files)
    assert check(path) == []  # self-consistent...
    problems = check(path, fingerprint=ours)  # ...but not signed by this deployment
    assert problems == [f"WRONG KEY: signed by the key {signing.fingerprint(other)}, not the expected {ours}"]
    assert run_checker(path, "--fingerprint", ours).returncode == 1


def test_a_damaged_archive_byte_is_reported(casefile):
    _, path = casefile
    data = bytearray(path.read_bytes())
    at = data.find(b"Witness account")
    data[at] ^= 0x20
    path.write_bytes(bytes(data))
    problems = check(path)
    assert problems and any(p.startswith(("DAMAGED", "CHANGED")) for p in problems)


def test_the_checker_runs_without_cryptography(casefile):
    """`python3 -I -S`: the standard library alone, so the pure-Python Ed25519 fallback checks the signature."""
    _, path = casefile
    result = run_checker(path, isolated=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checked with pure Python (RFC 8032)" in result.stdout
    files = read_all(path)
    files["MANIFEST.sig"] = base64.b64encode(bytes(64)) + b"\n"
    write_all(path, files)
    result = run_checker(path, isolated=True)
    assert result.returncode == 1 and "BAD SIGNATURE" in result.stdout


def test_the_pure_python_ed25519_matches_rfc8032_and_cryptography():
    # RFC 8032, section 7.1, test 1 (the empty message) and test 2.
    public = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    signature = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe"
        "24655141438e7a100b"
    )
    assert checker.ed25519_verify_pure(public, b"", signature)
    assert not checker.ed25519_verify_pure(public, b"x", signature)
    public2 = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
    signature2 = bytes.fromhex(
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302a"
        "eeb00d291612bb0c00"
    )
    assert checker.ed25519_verify_pure(public2, b"\x72", signature2)
    for size in (0, 1, 100, 5000):
        key = Ed25519PrivateKey.generate()
        message = bytes(range(256)) * (size // 256) + b"m" * (size % 256)
        raw = signing.public_raw(key)
        good = key.sign(message)
        assert checker.ed25519_verify_pure(raw, message, good)
        bad = bytearray(good)
        bad[size % 64] ^= 0x04
        assert not checker.ed25519_verify_pure(raw, message, bytes(bad))
        assert not checker.ed25519_verify_pure(raw, message + b"!", good)
    # s >= L and keys that are not points are refused, not crashed on.
    assert not checker.ed25519_verify_pure(public, b"", signature[:32] + b"\xff" * 32)
    assert not checker.ed25519_verify_pure(b"\xff" * 32, b"", signature)
