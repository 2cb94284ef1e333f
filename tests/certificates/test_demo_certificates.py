import pytest
from django.core.management import call_command

from certificates.models import Certificate, CertificateTemplate
from demo import data

# The demo programme is built once per test process (tests/conftest.py); seed_demo below then
# finds it loaded and changes nothing, as it would on a second `make run`.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_programme")]


def test_demo_certificates_show_every_status_and_survive_a_second_seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(CertificateTemplate.objects.values_list("key", flat=True)) >= {
        "completion",
        "participation",
    }
    mine = Certificate.objects.filter(officer__email=data.LOGINS[0][1])
    assert mine.count() >= 2
    thai_first, _last, _country = data.NATIVE_NAMES[0]
    korean_first, _last, _country = data.NATIVE_NAMES[2]
    assert Certificate.objects.filter(officer_name__contains=thai_first).current().exists()
    assert Certificate.objects.filter(officer_name__contains=korean_first).current().exists()
    assert Certificate.objects.with_status("revoked").count() == 1
    assert Certificate.objects.with_status("superseded").count() == 1
    serials = list(Certificate.objects.order_by("number").values_list("number", flat=True))
    assert serials == list(range(1, len(serials) + 1))

    before = Certificate.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Certificate.objects.count() == before


def test_demo_certificates_carry_credentials_that_verify():
    from credentials import selectors, verification

    certificates = list(Certificate.objects.select_related("credential"))
    assert certificates and all(hasattr(c, "credential") for c in certificates)
    outcomes = {
        c.status: verification.verify(
            c.credential.token,
            keys=selectors.verification_keys(),
            status_list_token=selectors.status_list_token(),
        ).outcome
        for c in certificates
    }
    assert outcomes["revoked"] == outcomes["superseded"] == "revoked"
    assert outcomes["valid"] == "valid"
