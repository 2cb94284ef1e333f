"""Verification, rejection and merges leave audit entries with before and after values."""

import pytest
from django.core.exceptions import ValidationError

from attendees import services
from audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_verifying_an_officer_is_audited():
    lead = factories.lead()
    officer = factories.officer(verified=False)
    services.verify_officer(profile=officer.officer_profile, acting_user=lead)
    entry = AuditEntry.objects.get(action="officer.verified")
    assert entry.actor == lead and entry.subject == officer
    assert entry.before == {"verification": "pending"}
    assert entry.after["verification"] == "verified"


def test_rejecting_an_officer_is_audited_with_the_reason():
    lead = factories.lead()
    officer = factories.officer(verified=False)
    services.reject_officer(profile=officer.officer_profile, acting_user=lead, reason="Unknown.")
    entry = AuditEntry.objects.get(action="officer.rejected")
    assert entry.before == {"verification": "pending"}
    assert entry.after == {
        "verification": "rejected",
        "reason": "Unknown.",
        "agency_requests_closed": 0,
    }


def test_a_refused_rejection_leaves_no_entry():
    officer = factories.officer(verified=False)
    with pytest.raises(ValidationError):
        services.reject_officer(
            profile=officer.officer_profile, acting_user=factories.lead(), reason=" "
        )
    assert not AuditEntry.objects.exists()


def test_merging_agencies_is_audited_with_the_counts_moved():
    lead = factories.lead()
    source, target = factories.agency(name="HKPF dup"), factories.agency(name="HKPF")
    factories.officer(agency_obj=source)
    factories.officer(agency_obj=source)
    factories.officer(agency_obj=target)
    services.merge_agencies(source=source, target=target, acting_user=lead)
    entry = AuditEntry.objects.get(action="agency.merged")
    officers = "officer profiles (agency)"
    assert dict(entry.before["source"]["counts"])[officers] == 2
    assert dict(entry.before["target"]["counts"])[officers] == 1
    assert dict(entry.after["target"]["counts"])[officers] == 3
    assert dict(entry.after["moved"])[officers] == 2
    assert entry.after["source"] == {"name": "HKPF dup", "deleted": True}
