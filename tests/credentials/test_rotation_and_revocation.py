import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from certificates import services as certificate_services
from credentials import documents, jose, keys, selectors, services, verification
from credentials.models import IssuerKey, StatusList

from .helpers import pyjwt_decode

pytestmark = pytest.mark.django_db


def _verify(token):
    return verification.verify(
        token,
        keys=selectors.verification_keys(),
        status_list_token=selectors.status_list_token(),
    ).outcome


def _bit(certificate):
    payload = jose.parse(selectors.status_list_token())[1]
    return documents.bit_is_set(
        payload["credentialSubject"]["encodedList"], certificate.credential.status_index
    )


def test_rotation_publishes_both_keys_and_old_credentials_still_verify(issue, lead):
    old = issue()
    old_kid = old.credential.kid
    new_key = services.rotate_key(acting_user=lead)
    assert new_key.kid != old_kid
    assert keys.signing_key().kid == new_key.kid
    methods = [m["id"] for m in selectors.did_document()["verificationMethod"]]
    assert methods == [
        documents.verification_method(old_kid),
        documents.verification_method(new_key.kid),
    ]
    assert IssuerKey.objects.get(kid=old_kid).retired_at is not None
    newer = issue(officer=None)
    assert newer.credential.kid == new_key.kid
    for certificate in (old, newer):
        assert _verify(certificate.credential.token) == verification.Outcome.VALID
        pyjwt_decode(certificate.credential.token)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREDENTIAL_KEY_ROTATED)
    assert entry.after == {"key": new_key.kid} and entry.before == {"keys": [old_kid]}


def test_rotation_resigns_the_status_list_with_the_new_key(issue):
    issue()
    new_key = services.rotate_key()
    header = jose.parse(selectors.status_list_token())[0]
    assert header["kid"] == documents.verification_method(new_key.kid)


def test_a_key_removed_from_the_did_document_no_longer_verifies(issue):
    certificate = issue()
    IssuerKey.objects.all().delete()
    assert _verify(certificate.credential.token) == verification.Outcome.UNKNOWN_ISSUER


def test_rotation_refuses_to_overwrite_an_environment_key(settings, issue):
    settings.MUSTER_CREDENTIAL_PRIVATE_KEY = keys.pem_of(keys.signing_key().private_key).decode()
    with pytest.raises(ValidationError):
        services.rotate_key()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREDENTIAL_KEY_ROTATED).exists()


def test_rotation_with_out_writes_the_new_key_there(settings, issue, tmp_path):
    settings.MUSTER_CREDENTIAL_PRIVATE_KEY = keys.pem_of(keys.signing_key().private_key).decode()
    issuer_key = services.rotate_key(out=tmp_path / "next.pem")
    settings.MUSTER_CREDENTIAL_PRIVATE_KEY = (tmp_path / "next.pem").read_text()
    assert keys.signing_key().kid == issuer_key.kid


def test_revoking_sets_the_bit_and_verification_says_revoked(issue, lead):
    certificate = issue()
    other = issue(officer=None)
    assert not _bit(certificate)
    certificate_services.revoke(certificate=certificate, reason="Fraud", acting_user=lead)
    certificate.refresh_from_db()
    assert _bit(certificate)
    assert not _bit(other)
    assert _verify(certificate.credential.token) == verification.Outcome.REVOKED
    assert _verify(other.credential.token) == verification.Outcome.VALID


def test_a_failed_status_list_update_rolls_the_revocation_back(issue, lead, monkeypatch):
    certificate = issue()

    def broken(*args, **kwargs):
        raise RuntimeError("signing failed")

    monkeypatch.setattr(services, "_resign_status_list", broken)
    with pytest.raises(RuntimeError):
        certificate_services.revoke(certificate=certificate, reason="Fraud", acting_user=lead)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_reissue_supersedes_the_old_credential(issue, lead):
    old = issue()
    new = certificate_services.reissue(certificate=old, reason="Name", acting_user=lead)
    old.refresh_from_db()
    assert _verify(old.credential.token) == verification.Outcome.REVOKED
    assert _verify(new.credential.token) == verification.Outcome.VALID
    assert new.credential.credential_id != old.credential.credential_id


def test_the_status_list_is_a_signed_bitstring_status_list_credential(issue, lead, client):
    certificate = issue()
    certificate_services.revoke(certificate=certificate, reason="Fraud", acting_user=lead)
    response = client.get("/credentials/status/revocation")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    payload = pyjwt_decode(response.content.decode())
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert payload["id"] == documents.status_list_url()
    subject = payload["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    assert documents.bit_is_set(subject["encodedList"], certificate.credential.status_index)
    assert StatusList.objects.count() == 1


def test_the_bitstring_is_at_least_16kb_and_index_zero_is_the_first_bit():
    import base64
    import gzip

    encoded = documents.encode_bits([0, 9])
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) == 16384
    assert bits[0] == 0b10000000 and bits[1] == 0b01000000
    assert documents.bit_is_set(encoded, 9) and not documents.bit_is_set(encoded, 8)
    assert len(
        gzip.decompress(base64.urlsafe_b64decode(documents.encode_bits([131072])[1:] + "=="))
    )
