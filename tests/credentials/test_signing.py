import datetime

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured

from certificates.models import Certificate
from credentials import documents, jose, keys, selectors, verification
from credentials.models import Credential, IssuerKey

from .helpers import pyjwt_decode, tamper

pytestmark = pytest.mark.django_db


def _verify(token, **kwargs):
    return verification.verify(
        token,
        keys=selectors.verification_keys(),
        status_list_token=selectors.status_list_token(),
        **kwargs,
    )


def test_issuing_a_certificate_signs_its_open_badge(issue):
    certificate = issue(validity_months=600)
    credential = Credential.objects.get(certificate=certificate)
    header, payload, _input, _sig = jose.parse(credential.token)
    assert header == {
        "alg": "EdDSA",
        "kid": f"did:web:training.example#{credential.kid}",
        "typ": "vc+jwt",
        "cty": "vc",
    }
    assert payload["@context"] == [documents.VC_CONTEXT, documents.OB_CONTEXT]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["issuer"]["id"] == "did:web:training.example"
    subject = payload["credentialSubject"]
    assert subject["name"] == "Mei Cheung"
    achievement = subject["achievement"]
    course = certificate.session.course
    assert achievement["name"] == certificate.course_title
    assert achievement["hours"] == float(certificate.hours) > 0
    assert achievement["level"] == course.level
    assert payload["validFrom"] == documents.iso(certificate.issued_at)
    assert payload["validUntil"] == f"{certificate.expires_on.isoformat()}T23:59:59Z"
    assert payload["credentialStatus"]["statusListIndex"] == str(credential.status_index)


def test_no_expiry_means_no_valid_until(issue):
    certificate = issue()
    payload = jose.parse(certificate.credential.token)[1]
    assert "validUntil" not in payload


def test_the_open_badges_required_fields_are_there(issue):
    """The OB 3.0 JSON schema is not on PyPI and could not be fetched here: its required
    members (AchievementCredential, Profile, AchievementSubject, Achievement, Criteria,
    BitstringStatusListEntry) are checked one by one instead."""
    payload = jose.parse(issue(validity_months=12).credential.token)[1]
    for member in ("@context", "id", "type", "issuer", "validFrom", "credentialSubject", "name"):
        assert member in payload, member
    assert payload["id"].startswith("urn:uuid:")
    assert "OpenBadgeCredential" in payload["type"]
    assert {"id", "type"} <= payload["issuer"].keys() and "Profile" in payload["issuer"]["type"]
    subject = payload["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    achievement = subject["achievement"]
    for member in ("id", "type", "criteria", "description", "name"):
        assert achievement[member], member
    assert "Achievement" in achievement["type"]
    assert achievement["criteria"]["narrative"]
    for name in ("validFrom", "validUntil"):
        datetime.datetime.fromisoformat(payload[name])
    status = payload["credentialStatus"]
    for member in ("id", "type", "statusPurpose", "statusListIndex", "statusListCredential"):
        assert status[member], member


def test_an_independent_library_verifies_it(issue):
    certificate = issue()
    payload = pyjwt_decode(certificate.credential.token)
    assert payload["credentialSubject"]["name"] == "Mei Cheung"


@pytest.mark.parametrize("part", [0, 1, 2])
def test_one_byte_changed_fails_both_verifiers(issue, part):
    token = tamper(issue().credential.token, part=part)
    assert _verify(token).outcome == verification.Outcome.SIGNATURE_INVALID
    with pytest.raises(jwt.exceptions.PyJWTError):
        pyjwt_decode(token)


def test_the_untampered_token_is_valid(issue):
    assert _verify(issue().credential.token).outcome == verification.Outcome.VALID


def test_the_private_key_is_never_in_the_database(issue, own_key):
    issue()
    key = keys.signing_key()
    secret_x = keys.pem_of(key.private_key).decode()
    assert own_key.exists()
    for row in IssuerKey.objects.all():
        assert set(row.public_jwk) == {"kty", "crv", "x"}  # no "d"
    for credential in Credential.objects.all():
        assert "PRIVATE" not in credential.token and secret_x not in credential.token


def test_without_a_key_production_refuses_to_issue_and_nothing_is_written(
    issue, settings, tmp_path
):
    settings.MUSTER_CREDENTIAL_KEY_GENERATE = False
    settings.MUSTER_CREDENTIAL_KEY_FILE = tmp_path / "absent.pem"
    with pytest.raises(ImproperlyConfigured):
        issue()
    assert not Certificate.objects.exists()
    assert not (tmp_path / "absent.pem").exists()


def test_a_key_from_the_environment_signs(issue, settings, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    settings.MUSTER_CREDENTIAL_PRIVATE_KEY = keys.pem_of(private).decode()
    settings.MUSTER_CREDENTIAL_KEY_FILE = tmp_path / "unused.pem"
    certificate = issue()
    assert certificate.credential.kid == jose.thumbprint(jose.public_jwk(private.public_key()))
    assert not (tmp_path / "unused.pem").exists()


def test_a_key_that_is_not_ed25519_is_refused(settings):
    from cryptography.hazmat.primitives.asymmetric import ec

    settings.MUSTER_CREDENTIAL_PRIVATE_KEY = keys.pem_of(
        ec.generate_private_key(ec.SECP256R1())
    ).decode()
    with pytest.raises(ImproperlyConfigured):
        keys.signing_key()


def test_alg_none_and_other_algorithms_are_refused(issue):
    token = issue().credential.token
    header = jose.b64url(b'{"alg":"none","kid":"x"}')
    forged = header + "." + token.split(".")[1] + "."
    assert _verify(forged).outcome == verification.Outcome.SIGNATURE_INVALID
