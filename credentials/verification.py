"""Checking a credential with nothing but the issuer's public keys and a copy of its status list:
what `manage.py verify_credential` runs, and what the static verifier page does in JavaScript
(credentials/static/credentials/verifier.js) step for step."""

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import documents, jose


class Outcome(models.TextChoices):
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    SIGNATURE_INVALID = "signature invalid", _("signature invalid")
    UNKNOWN_ISSUER = "unknown issuer", _("unknown issuer")


@dataclass
class Result:
    outcome: str
    credential: dict[str, Any] | None = None
    status_checked_at: str = ""
    detail: str = ""


def extract_token(text: str) -> str:
    """The compact JWS of a .jwt file, or of a .json file (an EnvelopedVerifiableCredential)."""
    text = text.strip().lstrip("\ufeff")
    if not text.startswith("{"):
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise jose.JoseError("not JSON") from exc
    envelope_id = data.get("id", "") if isinstance(data, dict) else ""
    prefix = "data:application/vc+jwt,"
    if not isinstance(envelope_id, str) or not envelope_id.startswith(prefix):
        raise jose.JoseError("not an enveloped VC-JOSE credential")
    return envelope_id[len(prefix) :]


def _checked(token: str, keys: dict[str, dict[str, str]], issuer: str) -> tuple[str, dict]:
    """(outcome, payload) of the signature and issuer checks alone."""
    try:
        header, payload, signing_input, signature = jose.parse(token)
    except jose.JoseError:
        return Outcome.SIGNATURE_INVALID, {}
    kid = header.get("kid")
    if not isinstance(kid, str) or kid.partition("#")[0] != issuer or kid not in keys:
        return Outcome.UNKNOWN_ISSUER, payload
    try:
        public_key = jose.public_key_from_jwk(keys[kid])
    except jose.JoseError:
        return Outcome.UNKNOWN_ISSUER, payload
    if not jose.signature_valid(public_key, signing_input, signature):
        return Outcome.SIGNATURE_INVALID, payload
    claimed = payload.get("issuer")
    claimed_id = claimed.get("id") if isinstance(claimed, dict) else claimed
    if claimed_id != issuer:
        return Outcome.UNKNOWN_ISSUER, payload
    return Outcome.VALID, payload


def _parse_time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def verify(
    text: str,
    *,
    keys: dict[str, dict[str, str]],
    issuer: str | None = None,
    status_list_token: str = "",
    now: datetime.datetime | None = None,
) -> Result:
    """keys: verification method id -> public JWK (the issuer's DID document)."""
    issuer = issuer or documents.issuer_did()
    now = now or datetime.datetime.now(datetime.UTC)
    try:
        token = extract_token(text)
    except jose.JoseError:
        return Result(Outcome.SIGNATURE_INVALID, detail="not a credential")
    outcome, payload = _checked(token, keys, issuer)
    if outcome != Outcome.VALID:
        return Result(outcome, credential=payload or None)
    result = Result(Outcome.VALID, credential=payload)
    status = payload.get("credentialStatus")
    if isinstance(status, dict) and status_list_token:
        list_outcome, status_list = _checked(status_list_token, keys, issuer)
        subject = status_list.get("credentialSubject", {})
        if list_outcome != Outcome.VALID or not isinstance(subject, dict):
            result.detail = "the status list copy does not verify: revocation not checked"
        elif status_list.get("id") != status.get("statusListCredential"):
            result.detail = "the status list copy is another list: revocation not checked"
        else:
            result.status_checked_at = str(status_list.get("validFrom", ""))
            try:
                revoked = documents.bit_is_set(
                    subject.get("encodedList", ""), int(status.get("statusListIndex", -1))
                )
            except (ValueError, OSError, TypeError):
                return Result(Outcome.SIGNATURE_INVALID, payload, detail="bad status list")
            if revoked:
                result.outcome = Outcome.REVOKED
                return result
    elif isinstance(status, dict):
        result.detail = "no status list copy: revocation not checked"
    valid_until = _parse_time(payload.get("validUntil"))
    if valid_until is not None and valid_until < now:
        result.outcome = Outcome.EXPIRED
    valid_from = _parse_time(payload.get("validFrom"))
    if valid_from is None or valid_from > now:
        result.outcome = Outcome.SIGNATURE_INVALID
        result.detail = "not valid yet, or no validFrom"
    return result
