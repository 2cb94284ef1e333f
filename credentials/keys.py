"""The issuer's Ed25519 signing key.

Where it comes from, in order: the environment (settings.MUSTER_CREDENTIAL_PRIVATE_KEY, a PEM),
else a file (settings.MUSTER_CREDENTIAL_KEY_FILE, PEM, PKCS#8). Never the database: the
database holds public keys only (IssuerKey). The dev and test profiles set
MUSTER_CREDENTIAL_KEY_GENERATE, so a missing file is generated there (under var/, which git
ignores, or a throwaway folder in tests); production never generates one.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import jose


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    public_jwk: dict[str, str]
    kid: str


_cache: dict[tuple, SigningKey] = {}


def key_file() -> Path | None:
    path = getattr(settings, "MUSTER_CREDENTIAL_KEY_FILE", None)
    return Path(path) if path else None


def _from_pem(pem: bytes) -> SigningKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise ImproperlyConfigured("The credential signing key is not a PEM private key.") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("The credential signing key must be an Ed25519 key.")
    jwk = jose.public_jwk(key.public_key())
    return SigningKey(private_key=key, public_jwk=jwk, kid=jose.thumbprint(jwk))


def pem_of(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_key_file(path: Path, key: Ed25519PrivateKey) -> None:
    """Write atomically, readable by the owner only: a reader never sees half a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem_of(key))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def from_environment() -> bool:
    return bool(getattr(settings, "MUSTER_CREDENTIAL_PRIVATE_KEY", ""))


def signing_key() -> SigningKey:
    """The current signing key; ImproperlyConfigured when there is none."""
    pem = getattr(settings, "MUSTER_CREDENTIAL_PRIVATE_KEY", "")
    if pem:
        cache_key: tuple = ("env", pem)
        if cache_key not in _cache:
            _cache[cache_key] = _from_pem(pem.encode())
        return _cache[cache_key]
    path = key_file()
    if path is None:
        raise ImproperlyConfigured(
            "No credential signing key: set MUSTER_CREDENTIAL_PRIVATE_KEY or "
            "MUSTER_CREDENTIAL_KEY_FILE (docs/credentials.md)."
        )
    if not path.exists():
        if not getattr(settings, "MUSTER_CREDENTIAL_KEY_GENERATE", False):
            raise ImproperlyConfigured(f"The credential key file {path} does not exist.")
        write_key_file(path, Ed25519PrivateKey.generate())
    stat = path.stat()
    cache_key = ("file", str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if cache_key not in _cache:
        _cache[cache_key] = _from_pem(path.read_bytes())
    return _cache[cache_key]
