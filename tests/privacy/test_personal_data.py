"""An officer's personal data: the JSON download, asking for erasure, anonymising, and the
inactive-officer command. The yearly figures never change."""

import datetime
import io
import json

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from audit.models import AuditEntry
from certificates.models import Certificate
from privacy import services
from privacy.models import ErasureRequest
from sessions.models import Attendance, CalendarFeedToken, Registration
from sessions.schedule.services import feed_token_for
from tests import factories

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("privacy:download")
ERASE = reverse("privacy:request_erasure")


def _certificate(session, officer, serial):
    from certificates.models import CertificateTemplate

    template, _ = CertificateTemplate.objects.get_or_create(key="completion", name="Completion")
    return Certificate.objects.create(
        session=session,
        officer=officer,
        template=template,
        year=session.start_date.year,
        number=int(serial[-3:]),
        serial=serial,
        verification_code=f"code-{serial}",
        officer_name=officer.get_full_name(),
        agency_name=officer.officer_profile.agency.name,
        course_title=session.course.title,
        start_date=session.start_date,
        end_date=session.end_date,
        hours=7,
    )


@pytest.fixture
def two_officers():
    session = factories.delivered_session(day_count=2, start=datetime.date(2023, 5, 8))
    mei = factories.officer(first_name="Mei", last_name="Cheung", email="mei@hkpf.example")
    raj = factories.officer(first_name="Raj", last_name="Patel", email="raj@sp.example")
    for officer, serial in ((mei, "LETP-2023-000001"), (raj, "LETP-2023-000002")):
        factories.attendance(session_obj=session, officer_obj=officer, attended=2)
        _certificate(session, officer, serial)
        factories.training_request(requester=officer, notes=f"Notes of {officer.first_name}")
        feed_token_for(user=officer)
    return session, mei, raj


def _download(client, user):
    client.force_login(user)
    response = client.post(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_download_holds_the_officers_data_and_nobody_elses(client, two_officers):
    session, mei, raj = two_officers
    data = _download(client, mei)
    assert data["account"]["email"] == "mei@hkpf.example"
    assert data["officer_profile"]["agency"]["name"] == mei.officer_profile.agency.name
    assert data["officer_profile"]["verification"]["state"] == "verified"
    assert [r["session"] for r in data["registrations"]] == [session.reference]
    assert len(data["attendance"]) == 2
    assert [c["serial"] for c in data["certificates"]] == ["LETP-2023-000001"]
    assert data["certificates"][0]["verification_url"].endswith("/verify/code-LETP-2023-000001/")
    assert data["training_requests"][0]["notes"] == "Notes of Mei"
    assert data["calendar_feed"]["exists"] is True
    token = CalendarFeedToken.objects.get(user=mei).token
    text = json.dumps(data)
    assert token not in text
    # Nothing of the other officer, whatever the field.
    for fact in (
        "Raj",
        "Patel",
        "raj@sp.example",
        "LETP-2023-000002",
        raj.officer_profile.agency.name,
    ):
        assert fact not in text
    assert CalendarFeedToken.objects.get(user=raj).token not in text


def test_the_download_is_audited_and_listed_in_the_next_one(client, two_officers):
    _session, mei, _raj = two_officers
    _download(client, mei)
    entry = AuditEntry.objects.get(action="personal_data.exported")
    assert entry.actor == mei and entry.subject == mei
    data = _download(client, mei)
    assert "personal_data.exported" in [e["action"] for e in data["audit_entries_about_you"]]


def test_the_download_needs_a_signed_in_officer_and_a_post(client):
    response = client.post(DOWNLOAD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    officer = factories.officer()
    client.force_login(officer)
    assert client.get(DOWNLOAD).status_code == 405
    client.force_login(factories.lead())  # staff have no officer profile
    assert client.post(DOWNLOAD).status_code == 404
    assert not AuditEntry.objects.exists()


def test_the_profile_page_offers_both(client):
    client.force_login(factories.officer())
    html = client.get(reverse("attendees:profile")).content.decode()
    assert DOWNLOAD in html and ERASE in html


# --- Erasure requests ------------------------------------------------------------------------


def test_asking_for_erasure_needs_the_password(client):
    officer = factories.officer()
    client.force_login(officer)
    response = client.post(ERASE, {"password": "wrong-password", "confirm": "on"})
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert not ErasureRequest.objects.exists() and not AuditEntry.objects.exists()

    response = client.post(ERASE, {"password": "pw-test-1234", "confirm": "on"})
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get()
    assert erasure.user == officer and erasure.status == "pending"
    assert AuditEntry.objects.get().action == "account.erasure_requested"
    html = client.get(reverse("attendees:profile")).content.decode()
    assert 'data-erasure="pending"' in html
    # Asking twice keeps one request.
    client.post(ERASE, {"password": "pw-test-1234", "confirm": "on"})
    assert ErasureRequest.objects.count() == 1


def test_erasure_pages_are_for_officers(client):
    assert client.get(ERASE).status_code == 302
    client.force_login(factories.lead())
    assert client.get(ERASE).status_code == 404


def test_leads_carry_out_pending_requests(client, two_officers):
    _session, mei, _raj = two_officers
    erasure = services.request_erasure(user=mei, acting_user=mei)
    url = reverse("privacy_erasures:carry_out", args=[erasure.pk])
    for user in (
        factories.officer(),
        factories.user(role=roles.TRAINER),
        factories.user(role=roles.EDITOR),
    ):
        client.force_login(user)
        assert client.post(url).status_code in (302, 403)
    mei.refresh_from_db()
    assert mei.email == "mei@hkpf.example"

    lead = factories.lead()
    client.force_login(lead)
    listing = client.get("/admin/privacy_erasures/").content.decode()
    assert url in listing
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == "done" and erasure.completed_by == lead
    mei.refresh_from_db()
    assert mei.email == f"erased-{mei.pk}@invalid"
    # Done requests cannot be carried out again; edit/delete views do not exist.
    assert client.post(url).status_code == 404
    assert client.get(f"/admin/privacy_erasures/edit/{erasure.pk}/").status_code == 404
    assert client.post(f"/admin/privacy_erasures/delete/{erasure.pk}/").status_code == 404


def test_anonymising_keeps_the_rows_and_removes_the_person(client, two_officers):
    _session, mei, raj = two_officers
    agency = mei.officer_profile.agency
    services.anonymise_officer(user=mei, acting_user=factories.lead())
    mei.refresh_from_db()
    assert (mei.first_name, mei.last_name, mei.email) == ("", "", f"erased-{mei.pk}@invalid")
    assert not mei.is_active and not mei.has_usable_password()
    assert mei.officer_profile.rank == "" and mei.officer_profile.agency == agency
    assert not EmailAddress.objects.filter(user=mei).exists()
    assert not CalendarFeedToken.objects.filter(user=mei).exists()
    assert Registration.objects.filter(officer=mei).count() == 1
    assert Attendance.objects.filter(registration__officer=mei).count() == 2
    certificate = Certificate.objects.get(officer=mei)
    assert certificate.officer_name == ""
    page = client.get(reverse("certificates:verify", args=[certificate.verification_code]))
    html = page.content.decode()
    assert "name erased" in html and "Mei" not in html
    # The other officer is untouched.
    raj.refresh_from_db()
    assert raj.email == "raj@sp.example" and CalendarFeedToken.objects.filter(user=raj).exists()
    entry = AuditEntry.objects.get(action="account.anonymised")
    assert entry.subject == mei and entry.before == {"email_domain": "hkpf.example"}
    with pytest.raises(services.ErasureRefused):
        services.anonymise_officer(user=mei, acting_user=None)


def test_an_anonymised_officer_is_signed_out(client, two_officers):
    _session, mei, _raj = two_officers
    client.force_login(mei)
    assert client.get(reverse("attendees:profile")).status_code == 200
    services.anonymise_officer(user=mei, acting_user=None)
    assert client.get(reverse("attendees:profile")).status_code == 302


def _report(year):
    out = io.StringIO()
    call_command("session_report", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_yearly_figures_do_not_change(two_officers):
    _session, mei, raj = two_officers
    other = factories.delivered_session(day_count=1, start=datetime.date(2023, 9, 4), country="TH")
    thai = factories.officer(agency_obj=factories.agency(country="TH"))
    factories.attendance(session_obj=other, officer_obj=thai, attended=1)
    factories.attendance(session_obj=other, officer_obj=mei, attended=1)
    factories.headcount(session_obj=other, count=40, jurisdiction="TH")
    before = _report(2023)
    # Three officers (Mei on both sessions: 4 participations) plus the 40 counted.
    assert before["officers"] == 3 and before["participants"] == 44
    assert before["agencies"] == 3 and before["jurisdictions"] == 2
    services.request_erasure(user=mei, acting_user=mei)
    services.anonymise_officer(user=mei, acting_user=factories.lead())
    services.anonymise_officer(user=thai, acting_user=None)
    # The inactivity command as well.
    raj.last_login = timezone.now() - datetime.timedelta(days=365 * 7)
    raj.date_joined = raj.last_login
    raj.save()
    call_command("anonymise_inactive_officers", "--years", "5", stdout=io.StringIO())
    raj.refresh_from_db()
    assert raj.email.endswith("@invalid")
    assert _report(2023) == before


# --- The inactivity command -----------------------------------------------------------------


def _seen(user, moment):
    user.last_login = moment
    user.date_joined = moment - datetime.timedelta(days=1)
    user.save()


def test_exactly_n_years_is_kept_and_a_second_more_is_anonymised(settings):
    now = timezone.now().replace(month=6, day=15)
    kept, gone, never = factories.officer(), factories.officer(), factories.officer()
    _seen(kept, now.replace(year=now.year - 3))
    _seen(gone, now.replace(year=now.year - 3) - datetime.timedelta(seconds=1))
    never.last_login = None
    never.date_joined = now.replace(year=now.year - 4)
    never.save()
    staff = factories.lead()
    _seen(staff, now.replace(year=now.year - 10))
    found = list(services.inactive_officers(years=3, now=now))
    assert found == sorted([gone, never], key=lambda u: u.pk)


def test_the_command_dry_run_and_default(settings):
    settings.MUSTER_ANONYMISE_INACTIVE_AFTER_YEARS = 2
    old = factories.officer(email="old@hkpf.example")
    _seen(old, timezone.now() - datetime.timedelta(days=365 * 2 + 2))
    recent = factories.officer()
    _seen(recent, timezone.now() - datetime.timedelta(days=30))
    out = io.StringIO()
    call_command("anonymise_inactive_officers", "--dry-run", stdout=out)
    assert "old@hkpf.example" in out.getvalue() and "1 officers would be" in out.getvalue()
    old.refresh_from_db()
    assert old.email == "old@hkpf.example" and not ErasureRequest.objects.exists()
    call_command("anonymise_inactive_officers", stdout=io.StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email.endswith("@invalid") and not recent.email.endswith("@invalid")
    erasure = ErasureRequest.objects.get()
    assert erasure.origin == "inactivity" and erasure.status == "done"
    # Running again finds nobody new.
    out = io.StringIO()
    call_command("anonymise_inactive_officers", stdout=out)
    assert "0 officers anonymised" in out.getvalue()


def test_leap_day_cutoff():
    moment = datetime.datetime(2024, 2, 29, 12, tzinfo=datetime.UTC)
    assert services.years_before(moment, 1) == datetime.datetime(
        2023, 2, 28, 12, tzinfo=datetime.UTC
    )
