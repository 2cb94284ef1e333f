import json

import pytest
from django.urls import reverse

from accounts import roles
from credentials import documents
from tests import factories

pytestmark = pytest.mark.django_db


def test_only_the_owner_downloads_the_credential(issue, client):
    certificate = issue()
    url = reverse("credentials:download_jwt", kwargs={"serial": certificate.serial})
    assert client.get(url).status_code == 302  # to sign in
    for stranger in (factories.officer(), factories.user(role=roles.PROGRAMME_LEAD)):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    client.force_login(certificate.officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode() == certificate.credential.token
    assert f'filename="{certificate.serial}.jwt"' in response["Content-Disposition"]
    json_url = reverse("credentials:download_json", kwargs={"serial": certificate.serial})
    envelope = json.loads(client.get(json_url).content)
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    assert envelope["id"] == "data:application/vc+jwt," + certificate.credential.token


def test_an_unknown_serial_is_404(client):
    client.force_login(factories.officer())
    assert client.get("/certificates/LETP-2023-999999/credential.jwt").status_code == 404


def test_my_training_links_the_credential_beside_the_pdf(issue, client):
    certificate = issue()
    client.force_login(certificate.officer)
    page = client.get(reverse("my_training:index")).content.decode()
    assert certificate.get_pdf_url() in page
    assert f"/certificates/{certificate.serial}/credential.jwt" in page
    assert f"/certificates/{certificate.serial}/credential.json" in page


def test_did_document_lists_the_keys(issue, client):
    certificate = issue()
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "did:web:training.example"
    method = document["verificationMethod"][0]
    assert method["id"] == documents.verification_method(certificate.credential.kid)
    assert set(method["publicKeyJwk"]) == {"kty", "crv", "x", "kid"}
    assert document["assertionMethod"] == [method["id"]]


def test_no_status_list_before_any_credential(client):
    assert client.get("/credentials/status/revocation").status_code == 404


def test_the_verifier_page_carries_keys_and_list(issue, client):
    certificate = issue()
    response = client.get(reverse("credentials_public:verifier"))
    assert response.status_code == 200
    data = response.context["verifier_data"]
    assert data["issuer"] == "did:web:training.example"
    assert data["keys"][0]["id"] == documents.verification_method(certificate.credential.kid)
    assert data["statusList"].count(".") == 2
    assert 'id="verifier-data"' in response.content.decode()


def test_erasure_removes_the_stored_credential_but_copies_still_verify(issue, lead):
    from credentials import selectors, verification
    from privacy import services as privacy_services

    certificate = issue()
    copy = certificate.credential.token
    privacy_services.anonymise_officer(user=certificate.officer, acting_user=lead)
    certificate.credential.refresh_from_db()
    assert certificate.credential.token == ""
    outcome = verification.verify(
        copy,
        keys=selectors.verification_keys(),
        status_list_token=selectors.status_list_token(),
    ).outcome
    assert outcome == verification.Outcome.VALID
