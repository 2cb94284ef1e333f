"""Reads: the published keys, the DID document, the status list and an owner's credential."""

from typing import Any

from accounts.models import User

from . import documents
from .models import Credential, IssuerKey, StatusList


def issuer_keys() -> list[IssuerKey]:
    return list(IssuerKey.objects.order_by("created_at", "pk"))


def did_document() -> dict[str, Any]:
    return documents.did_document(issuer_keys())


def verification_keys() -> dict[str, dict[str, str]]:
    """Verification method id -> public JWK, for every key the issuer has published."""
    return {documents.verification_method(key.kid): key.public_jwk for key in issuer_keys()}


def status_list() -> StatusList | None:
    return StatusList.objects.filter(purpose="revocation").exclude(token="").first()


def status_list_token() -> str:
    """The signed revocation list; empty until the first credential is signed."""
    row = status_list()
    return row.token if row is not None else ""


def credential_of_owner(user: User, serial: str) -> Credential | None:
    """The credential of the user's own certificate with this serial; None for anyone else's."""
    return (
        Credential.objects.select_related("certificate")
        .filter(certificate__serial=serial, certificate__officer=user)
        .exclude(token="")
        .first()
    )
