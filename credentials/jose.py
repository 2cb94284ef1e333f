"""Compact JWS with Ed25519 (alg EdDSA, RFC 8037), on the `cryptography` library alone.

Small on purpose: one algorithm, no negotiation. The header's `alg` must be EdDSA; anything
else is refused before a key is touched (no "alg: none", no HMAC-with-public-key confusion).
"""

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class JoseError(ValueError):
    """Not a well-formed EdDSA compact JWS."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or any(c in text for c in "=+/ \n"):
        raise JoseError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise JoseError("not base64url") from exc


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, sort_keys=False).encode()


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order."""
    members = {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}
    return b64url(hashlib.sha256(json.dumps(members, separators=(",", ":")).encode()).digest())


def public_key_from_jwk(jwk: dict[str, Any]) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise JoseError("not an Ed25519 key")
    raw = b64url_decode(jwk.get("x", ""))
    if len(raw) != 32:
        raise JoseError("not an Ed25519 key")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign(payload: dict[str, Any], private_key: Ed25519PrivateKey, header: dict[str, Any]) -> str:
    protected = b64url(_canonical({"alg": "EdDSA", **header}))
    body = b64url(_canonical(payload))
    signing_input = f"{protected}.{body}".encode("ascii")
    return f"{protected}.{body}.{b64url(private_key.sign(signing_input))}"


def parse(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """(header, payload, signing input, signature) of a compact JWS; JoseError if malformed."""
    if not isinstance(token, str):
        raise JoseError("not a string")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JoseError("not a compact JWS")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JoseError("not JSON") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise JoseError("not a JSON object")
    if header.get("alg") != "EdDSA":
        raise JoseError("not EdDSA")
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
    return header, payload, signing_input, b64url_decode(parts[2])


def signature_valid(public_key: Ed25519PublicKey, signing_input: bytes, signature: bytes) -> bool:
    try:
        public_key.verify(signature, signing_input)
    except InvalidSignature:
        return False
    return True
