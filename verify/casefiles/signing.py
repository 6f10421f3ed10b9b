"""The deployment's Ed25519 key that signs every case file's manifest (CASEFILE_SIGNING_KEY, a PEM file)."""

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings


class NoSigningKey(Exception):
    pass


def key_path() -> Path | None:
    value = getattr(settings, "CASEFILE_SIGNING_KEY", "")
    return Path(value) if value else None


def load_key() -> Ed25519PrivateKey:
    path = key_path()
    if path is None or not path.is_file():
        raise NoSigningKey(str(path or ""))
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise NoSigningKey(f"{path} is not an Ed25519 private key")
    return key


def generate_key(path: Path) -> bool:
    """Write a new private key to `path` (mode 0600) unless one is there. Returns whether it wrote one."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return True


def public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PrivateKey) -> str:
    """SHA-256 of the raw 32-byte public key, in hex: what the checker prints and `--fingerprint` pins."""
    return hashlib.sha256(public_raw(key)).hexdigest()


def public_key_file(key: Ed25519PrivateKey) -> bytes:
    """signing-key.pub: the fingerprint as explanatory text, then the public key in PEM."""
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return f"Ed25519 public key, SHA-256 fingerprint {fingerprint(key)}\n".encode() + pem


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    """MANIFEST.sig: the base64 signature on one line."""
    return base64.b64encode(key.sign(data)) + b"\n"
