"""Verification from the e-mail domain, lead decisions with e-mails, agency requests."""

import pytest
from django.core.exceptions import ValidationError

from attendees import services
from attendees.models import AgencyDomain, AgencyRequest, OfficerProfile
from audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

PENDING = OfficerProfile.Verification.PENDING
VERIFIED = OfficerProfile.Verification.VERIFIED
REJECTED = OfficerProfile.Verification.REJECTED


@pytest.fixture
def hkpf():
    agency = factories.agency(name="Hong Kong Police Force", domain="hkpf.example")
    return agency


def pending(agency, email):
    return factories.officer(agency_obj=agency, verified=False, email=email).officer_profile


@pytest.mark.parametrize(
    "email", ["jo@hkpf.example", "jo@ccb.hkpf.example", "jo@a.b.hkpf.example", "JO@HKPF.EXAMPLE"]
)
def test_an_address_on_the_agency_domain_or_below_verifies_at_once(hkpf, email, mailoutbox):
    profile = pending(hkpf, email.lower())
    assert services.verify_from_email(profile=profile, email=email) is True
    profile.refresh_from_db()
    assert profile.verification == VERIFIED
    assert profile.verified_at is not None and profile.verified_by is None
    assert "hkpf.example" in profile.verification_note
    assert mailoutbox == []  # the officer sees it on the page they land on


@pytest.mark.parametrize(
    "email",
    ["jo@hkpf.example.evil.test", "jo@xhkpf.example", "jo@hkpf-example.test", "jo@example"],
)
def test_look_alike_domains_do_not_verify(hkpf, email):
    profile = pending(hkpf, email)
    assert services.verify_from_email(profile=profile, email=email) is False
    profile.refresh_from_db()
    assert profile.verification == PENDING
    assert "not on the domain of any agency" in profile.verification_note


def test_a_domain_of_another_agency_leaves_the_officer_pending_with_a_note(hkpf):
    other = factories.agency(name="Macao Judiciary Police", domain="pj.example")
    profile = pending(hkpf, "jo@pj.example")
    assert services.verify_from_email(profile=profile, email="jo@pj.example") is False
    profile.refresh_from_db()
    assert profile.verification == PENDING
    assert str(other) in profile.verification_note
    assert str(hkpf) in profile.verification_note


def test_a_parent_agency_domain_does_not_verify_for_a_unit(hkpf):
    unit = factories.agency(name="Commercial Crime Bureau")
    unit.parent = hkpf
    unit.save()
    profile = pending(unit, "jo@hkpf.example")
    assert services.verify_from_email(profile=profile, email="jo@hkpf.example") is False


def test_a_unit_domain_under_the_chosen_agency_verifies(hkpf):
    unit = factories.agency(name="Commercial Crime Bureau", domain="ccb.hkpf.example")
    unit.parent = hkpf
    unit.save()
    profile = pending(hkpf, "jo@ccb.hkpf.example")
    assert services.verify_from_email(profile=profile, email="jo@ccb.hkpf.example") is True


def test_a_rejected_officer_is_not_verified_by_confirming_again(hkpf):
    profile = pending(hkpf, "jo@hkpf.example")
    lead = factories.user(role="Programme lead")
    services.reject_officer(profile=profile, acting_user=lead, reason="Not an officer.")
    assert services.verify_from_email(profile=profile, email="jo@hkpf.example") is False
    profile.refresh_from_db()
    assert profile.verification == REJECTED


def test_lead_verifies_records_who_and_when_logs_and_emails(
    hkpf, mailoutbox, django_capture_on_commit_callbacks
):
    profile = pending(hkpf, "jo@gmail.example")
    lead = factories.user(role="Programme lead")
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_officer(profile=profile, acting_user=lead)
    profile.refresh_from_db()
    assert profile.verification == VERIFIED
    assert profile.verified_by == lead and profile.verified_at
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["jo@gmail.example"]
    assert "verified" in mailoutbox[0].subject
    assert "/accounts/profile/" in mailoutbox[0].body
    assert AuditEntry.objects.filter(action="officer.verified", actor=lead).exists()


def test_reject_needs_a_reason_and_writes_nothing_without_one(hkpf, mailoutbox):
    profile = pending(hkpf, "jo@gmail.example")
    lead = factories.user(role="Programme lead")
    with pytest.raises(ValidationError):
        services.reject_officer(profile=profile, acting_user=lead, reason="  ")
    profile.refresh_from_db()
    assert profile.verification == PENDING
    assert mailoutbox == []


def test_reject_records_reason_and_emails_it(hkpf, mailoutbox, django_capture_on_commit_callbacks):
    profile = pending(hkpf, "jo@gmail.example")
    lead = factories.user(role="Programme lead")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_officer(profile=profile, acting_user=lead, reason="Private address only.")
    profile.refresh_from_db()
    assert profile.verification == REJECTED
    assert profile.rejected_by == lead and profile.rejected_at
    assert "Private address only." in mailoutbox[0].body


def test_bulk_approval_is_all_or_nothing(hkpf, mailoutbox, django_capture_on_commit_callbacks):
    lead = factories.user(role="Programme lead")
    good = pending(hkpf, "a@gmail.example")
    request = factories.agency_request()  # has no agency yet: cannot be verified
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.verify_officers(profiles=[good, request.officer], acting_user=lead)
    good.refresh_from_db()
    assert good.verification == PENDING
    assert mailoutbox == []


def test_resolving_a_request_attaches_the_officer_and_verifies_from_the_domain(mailoutbox):
    lead = factories.user(role="Programme lead")
    request = factories.agency_request(user_fields={"email": "jo@atlantis.example"})
    agency = services.create_agency_from_request(
        agency_request=request,
        type="police",
        jurisdiction=request.country,
        domain="atlantis.example",
        acting_user=lead,
    ).agency
    request.refresh_from_db()
    profile = request.officer
    profile.refresh_from_db()
    assert request.status == AgencyRequest.Status.RESOLVED
    assert request.decided_by == lead
    assert profile.agency == agency
    assert profile.verification == VERIFIED
    assert AgencyDomain.objects.get(domain="atlantis.example").agency == agency


def test_resolving_onto_an_agency_without_the_domain_leaves_pending():
    lead = factories.user(role="Programme lead")
    request = factories.agency_request(user_fields={"email": "jo@gmail.example"})
    agency = factories.agency(domain="fiu.example")
    services.resolve_agency_request(agency_request=request, agency=agency, acting_user=lead)
    profile = OfficerProfile.objects.get(pk=request.officer.pk)
    assert profile.agency == agency
    assert profile.verification == PENDING
    with pytest.raises(ValidationError):
        services.resolve_agency_request(agency_request=request, agency=agency, acting_user=lead)


def test_creating_an_agency_with_a_taken_domain_writes_nothing():
    lead = factories.user(role="Programme lead")
    factories.agency(domain="taken.example")
    request = factories.agency_request(name="Brand New Police")
    with pytest.raises(ValidationError):
        services.create_agency_from_request(
            agency_request=request,
            type="police",
            jurisdiction=request.country,
            domain="taken.example",
            acting_user=lead,
        )
    assert not request.officer.__class__.objects.filter(agency__name="Brand New Police").exists()
    from attendees.models import Agency

    assert not Agency.objects.filter(name="Brand New Police").exists()


def test_rejecting_a_request_rejects_the_officer_and_emails_them(
    mailoutbox, django_capture_on_commit_callbacks
):
    lead = factories.user(role="Programme lead")
    request = factories.agency_request()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_agency_request(
            agency_request=request, acting_user=lead, reason="Not a public agency."
        )
    request.refresh_from_db()
    assert request.status == AgencyRequest.Status.REJECTED
    assert OfficerProfile.objects.get(pk=request.officer_id).verification == REJECTED
    assert "Not a public agency." in mailoutbox[0].body


def test_officer_for_email_creates_one_pending_officer_and_reuses_them():
    from accounts import roles as role_names
    from attendees.services import officer_for_email
    from tests import factories as f

    agency = f.agency()
    person = officer_for_email(email="walk@in.example", acting_user=None, agency=agency)
    profile = person.officer_profile
    assert profile.verification == "pending" and profile.agency == agency
    assert person.groups.filter(name=role_names.OFFICER).exists()
    assert not person.has_usable_password()
    # Refusal to duplicate: the same address (any case) is the same person, agency untouched.
    again = officer_for_email(email="WALK@in.example", acting_user=None, agency=f.agency())
    assert again.pk == person.pk and again.officer_profile.agency == agency


def test_rejecting_an_officer_closes_their_open_agency_request():
    """Nobody is left for the request to serve: it closes with the officer's rejection, with
    the same reason; a request already decided is left as it was."""
    from attendees import services
    from attendees.models import AgencyRequest

    lead = factories.lead()
    open_request = factories.agency_request()
    profile = open_request.officer
    services.reject_officer(profile=profile, acting_user=lead, reason="Not law enforcement.")
    open_request.refresh_from_db()
    assert open_request.status == AgencyRequest.Status.REJECTED
    assert open_request.decided_by == lead and open_request.decision_note == "Not law enforcement."


def test_a_refused_rejection_leaves_the_agency_request_open():
    from django.core.exceptions import ValidationError

    from attendees import services
    from attendees.models import AgencyRequest

    open_request = factories.agency_request()
    with pytest.raises(ValidationError):
        services.reject_officer(
            profile=open_request.officer, acting_user=factories.lead(), reason="  "
        )
    open_request.refresh_from_db()
    assert open_request.status == AgencyRequest.Status.OPEN
