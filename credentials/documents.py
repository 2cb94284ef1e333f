"""The JSON documents: the Open Badges 3.0 credential of a certificate, the issuer's DID
document and the Bitstring Status List credential. Pure functions of their inputs."""

import base64
import datetime
import gzip
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"]
# The W3C recommendation's minimum (16 KB) for herd privacy; grows in whole 16 KB steps.
STATUS_LIST_MIN_BITS = 131072


def issuer_did() -> str:
    # did:web: the host, with a port's colon percent-encoded (did:web method, section 3.2).
    return "did:web:" + settings.MUSTER_SITE_HOST.replace(":", "%3A")


def verification_method(kid: str) -> str:
    return f"{issuer_did()}#{kid}"


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def status_list_url() -> str:
    return absolute(reverse("credentials:status_list"))


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile() -> dict[str, Any]:
    return {
        "id": issuer_did(),
        "type": ["Profile"],
        "name": settings.MUSTER_PROGRAMME_NAME,
        "url": absolute("/"),
    }


def open_badge(certificate: Any, *, credential_id: str, status_index: int) -> dict[str, Any]:
    """The OpenBadgeCredential of a certificate: achievement = the course with its hours and
    level, subject = the name on the certificate, valid from issue until the template's expiry."""
    course = certificate.session.course
    hours = float(certificate.hours)
    level = getattr(course, "level", "") or ""
    achievement = {
        "id": getattr(course, "full_url", None) or absolute("/"),
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": certificate.course_title,
        "humanCode": getattr(course, "code", "") or certificate.course_title,
        "description": (getattr(course, "summary", "") or certificate.course_title)[:600],
        "criteria": {
            "narrative": (
                f"Completed the course {certificate.course_title} "
                f"({hours:g} hours, level {level or 'unspecified'}) "
                "with the attendance the programme requires."
            )
        },
        # Not Open Badges terms: issuer-dependent terms under the VC 2.0 context's @vocab.
        "hours": hours,
        "level": level,
    }
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": issuer_profile(),
        "validFrom": iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.officer_name,
            # The Open Badges way to name the recipient without an e-mail or account id.
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.officer_name,
                }
            ],
            "activityStartDate": certificate.start_date.isoformat() + "T00:00:00Z",
            "activityEndDate": certificate.end_date.isoformat() + "T23:59:59Z",
            "achievement": achievement,
        },
        "evidence": [
            {
                "id": certificate.get_verification_url(),
                "type": ["Evidence"],
                "name": f"Certificate {certificate.serial}",
            }
        ],
        "credentialStatus": {
            "id": f"{status_list_url()}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_url(),
        },
    }
    if certificate.expires_on:
        credential["validUntil"] = certificate.expires_on.isoformat() + "T23:59:59Z"
    return credential


def enveloped(token: str) -> dict[str, Any]:
    """The credential as JSON: a VC 2.0 EnvelopedVerifiableCredential carrying the JWT."""
    return {
        "@context": [VC_CONTEXT],
        "id": f"data:application/vc+jwt,{token}",
        "type": "EnvelopedVerifiableCredential",
    }


def encode_bits(indices: Iterable[int]) -> str:
    """Bitstring Status List encodedList: GZIP, then multibase base64url ('u'). Index 0 is the
    left-most bit of the first byte."""
    indices = list(indices)
    size = STATUS_LIST_MIN_BITS
    while indices and max(indices) >= size:
        size += STATUS_LIST_MIN_BITS
    bits = bytearray(size // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def bit_is_set(encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise ValueError("not multibase base64url")
    text = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    if index < 0 or index // 8 >= len(bits):
        raise ValueError("index outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list(indices: Iterable[int], *, valid_from: datetime.datetime) -> dict[str, Any]:
    url = status_list_url()
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(indices),
        },
    }


def did_document(keys: Iterable[Any]) -> dict[str, Any]:
    """keys: IssuerKey rows, oldest first. Every key stays listed so earlier credentials verify;
    only the current one is named for assertions (signing new credentials)."""
    did = issuer_did()
    keys = list(keys)
    methods = [
        {
            "id": verification_method(key.kid),
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": {**key.public_jwk, "kid": key.kid},
            "created": iso(key.created_at),
        }
        for key in keys
    ]
    every = [method["id"] for method in methods]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": every,
    }
