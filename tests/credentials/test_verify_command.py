import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from certificates import services as certificate_services
from credentials import documents, jose, selectors

from .helpers import tamper

pytestmark = pytest.mark.django_db


def _run(path, *args):
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_credential", str(path), *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return out.getvalue().strip(), code


def test_valid_jwt_and_json_files(issue, tmp_path, client):
    certificate = issue()
    client.force_login(certificate.officer)
    for fmt in ("jwt", "json"):
        path = tmp_path / f"c.{fmt}"
        path.write_bytes(client.get(f"/certificates/{certificate.serial}/credential.{fmt}").content)
        assert _run(path) == ("valid", 0)


def test_expired(issue, tmp_path):
    certificate = issue(validity_months=1)  # the demo session ended in 2023
    path = tmp_path / "c.jwt"
    path.write_text(certificate.credential.token)
    assert _run(path) == ("expired", 1)


def test_revoked_as_of_the_list(issue, lead, tmp_path):
    certificate = issue()
    certificate_services.revoke(certificate=certificate, reason="Fraud", acting_user=lead)
    path = tmp_path / "c.jwt"
    path.write_text(certificate.credential.token)
    line, code = _run(path)
    assert line.startswith("revoked (as of 20") and code == 1


def test_tampered_is_signature_invalid(issue, tmp_path):
    path = tmp_path / "c.jwt"
    path.write_text(tamper(issue().credential.token))
    assert _run(path) == ("signature invalid", 1)


def test_not_a_credential_is_signature_invalid(tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{"hello": "world"}')
    assert _run(path) == ("signature invalid: not a credential", 1)


def test_signed_by_someone_else_is_unknown_issuer(issue, tmp_path):
    payload = jose.parse(issue().credential.token)[1]
    stranger = Ed25519PrivateKey.generate()
    forged = jose.sign(payload, stranger, {"kid": "did:web:elsewhere.example#k1"})
    path = tmp_path / "c.jwt"
    path.write_text(forged)
    assert _run(path) == ("unknown issuer", 1)
    # Our DID, but a key we never published.
    forged = jose.sign(payload, stranger, {"kid": documents.verification_method("nope")})
    path.write_text(forged)
    assert _run(path) == ("unknown issuer", 1)


def test_offline_copies_without_the_database(issue, lead, tmp_path, django_assert_num_queries):
    certificate = issue()
    certificate_services.revoke(certificate=certificate, reason="Fraud", acting_user=lead)
    (tmp_path / "did.json").write_text(json.dumps(selectors.did_document()))
    (tmp_path / "status.jwt").write_text(selectors.status_list_token())
    (tmp_path / "c.jwt").write_text(certificate.credential.token)
    with django_assert_num_queries(0):
        line, code = _run(
            tmp_path / "c.jwt",
            "--did-document",
            str(tmp_path / "did.json"),
            "--status-list",
            str(tmp_path / "status.jwt"),
        )
    assert line.startswith("revoked") and code == 1
