"""The demo has something for every step of the verification workflow."""

import pytest
from django.core.management import call_command

from attendees import services
from attendees.models import Agency, AgencyRequest, OfficerProfile
from sessions.models import Headcount

# The demo programme is built once per test process (tests/conftest.py); seed_demo below then
# finds it loaded and changes nothing, as it would on a second `make run`.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_programme")]


def test_demo_officers_requests_and_a_duplicate_ready_to_merge():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        OfficerProfile.objects.filter(verification="pending").exclude(verification_note="").count()
        >= 3
    )
    rejected = OfficerProfile.objects.get(verification="rejected")
    assert rejected.rejection_reason and rejected.rejected_by
    assert AgencyRequest.objects.filter(status="open").count() == 2
    hkpf = Agency.objects.get(acronym="HKPF")
    assert hkpf.domains.count() >= 2 and hkpf.units.exists()

    duplicate = Agency.objects.get(name="Thai Royal Police")
    rtp = Agency.objects.get(acronym="RTP")
    total = sum(Headcount.objects.values_list("count", flat=True))
    result = services.merge_agencies(source=duplicate, target=rtp, acting_user=None)
    assert result["combined"] == 1
    assert sum(Headcount.objects.values_list("count", flat=True)) == total
    assert (
        OfficerProfile.objects.filter(user__email__endswith="@royalthaipolice.example")
        .filter(agency=rtp)
        .count()
        == 2
    )

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  # changes nothing
    assert AgencyRequest.objects.count() == 2
