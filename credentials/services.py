"""Signing credentials, keeping the status list and rotating the key. Called inside the
certificate services' transactions (credentials/receivers.py), so a credential and its status
bit commit or roll back with the certificate; their audit entry is the certificate's."""

import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import record
from certificates.models import Certificate

from . import documents, jose, keys
from .models import Credential, IssuerKey, StatusList

PURPOSE = "revocation"


def _register(key: keys.SigningKey) -> IssuerKey:
    issuer_key, _created = IssuerKey.objects.get_or_create(
        kid=key.kid, defaults={"public_jwk": key.public_jwk}
    )
    return issuer_key


def _header(key: keys.SigningKey) -> dict[str, str]:
    # VC-JOSE-COSE: the payload is the credential itself, typed application/vc+jwt.
    return {"kid": documents.verification_method(key.kid), "typ": "vc+jwt", "cty": "vc"}


def _sign(payload: dict[str, Any], key: keys.SigningKey) -> str:
    _register(key)
    return jose.sign(payload, key.private_key, _header(key))


@transaction.atomic
def issue_credential(*, certificate: Certificate) -> Credential:
    """Sign the certificate's Open Badges 3.0 credential with the current key."""
    existing = Credential.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    key = keys.signing_key()
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    # The certificate's own id: unique, never reused, and needs no counter to lock.
    status_index = certificate.pk
    payload = documents.open_badge(
        certificate, credential_id=credential_id, status_index=status_index
    )
    credential = Credential.objects.create(
        certificate=certificate,
        credential_id=credential_id,
        token=_sign(payload, key),
        kid=key.kid,
        status_index=status_index,
        issued_at=timezone.now(),
    )
    if not StatusList.objects.filter(purpose=PURPOSE).exists():
        # The first credential publishes the (empty) list its status entry points at.
        _resign_status_list(key)
    return credential


def _ended_indices() -> list[int]:
    return list(
        Credential.objects.filter(
            Q(certificate__revoked_at__isnull=False) | Q(certificate__superseded_at__isnull=False)
        ).values_list("status_index", flat=True)
    )


def _resign_status_list(key: keys.SigningKey) -> StatusList:
    StatusList.objects.get_or_create(purpose=PURPOSE, defaults={"token": ""})
    row = StatusList.objects.select_for_update().get(purpose=PURPOSE)
    now = timezone.now()
    row.token = _sign(documents.status_list(_ended_indices(), valid_from=now), key)
    row.updated_at = now
    row.save(update_fields=["token", "updated_at"])
    return row


@transaction.atomic
def end_credential(*, certificate: Certificate) -> StatusList | None:
    """Set the revoked or superseded certificate's bit and re-sign the list, in the caller's
    transaction. A certificate without a credential (issued before credentials) has no bit."""
    if not Credential.objects.filter(certificate=certificate).exists():
        return None
    return _resign_status_list(keys.signing_key())


@transaction.atomic
def issue_missing_credentials() -> int:
    """Sign credentials for certificates issued before credentials existed; the number signed."""
    count = 0
    for certificate in Certificate.objects.filter(credential__isnull=True).select_related(
        "session__course"
    ):
        issue_credential(certificate=certificate)
        count += 1
    ended = Credential.objects.filter(
        Q(certificate__revoked_at__isnull=False) | Q(certificate__superseded_at__isnull=False)
    )
    if count and ended.exists():
        _resign_status_list(keys.signing_key())
    return count


@transaction.atomic
def rotate_key(*, acting_user: Any = None, out: Path | None = None) -> IssuerKey:
    """Generate a new signing key, publish its public half and retire the others (they stay
    published: what they signed still verifies). The private key goes to `out`, else to the
    configured key file; never to the database. The status list is re-signed with the new key."""
    target = out or keys.key_file()
    if keys.from_environment() and out is None:
        raise ValidationError(
            _(
                "The signing key comes from the environment: give a file for the new key, "
                "then put that key in the environment and restart."
            )
        )
    if target is None:
        raise ValidationError(_("No key file is configured: give a file for the new key."))
    private = Ed25519PrivateKey.generate()
    jwk = jose.public_jwk(private.public_key())
    new_key = keys.SigningKey(private_key=private, public_jwk=jwk, kid=jose.thumbprint(jwk))
    now = timezone.now()
    previous = list(
        IssuerKey.objects.select_for_update()
        .filter(retired_at__isnull=True)
        .values_list("kid", flat=True)
    )
    IssuerKey.objects.filter(retired_at__isnull=True).update(retired_at=now)
    issuer_key = _register(new_key)
    if StatusList.objects.filter(purpose=PURPOSE).exists():
        _resign_status_list(new_key)
    record(
        actor=acting_user,
        action=AuditEntry.Action.CREDENTIAL_KEY_ROTATED,
        target=issuer_key,
        before={"keys": previous},
        after={"key": new_key.kid},
    )
    # Last, inside the transaction: a failed write rolls the database back with it.
    keys.write_key_file(Path(target), private)
    return issuer_key
