import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from certificates import services
from certificates.models import Certificate, EligibilityOverride
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return factories.user(role=roles.TRAINER)


@pytest.fixture
def lead():
    return factories.user(role=roles.PROGRAMME_LEAD)


@pytest.fixture
def session(course_rules, trainer):
    factories.certificate_template()
    s = factories.delivered_session(day_count=5, trainer=trainer)
    for attended in (5, 4, 3):
        factories.attendance(session_obj=s, officer_obj=factories.officer(), attended=attended)
    return s


def issue_url(session):
    return reverse("certificates_admin:issue_session", args=[session.pk])


def test_issue_index_lists_only_sessions_the_trainer_trains(client, session, trainer):
    factories.delivered_session(day_count=1, reference="OTHER-001")
    client.force_login(trainer)
    body = client.get(reverse("certificates_admin:issue_index")).content.decode()
    assert session.reference in body
    assert "OTHER-001" not in body


def test_issue_index_is_refused_to_editors_and_officers(client, session):
    # Wagtail sends an editor back to the dashboard with "permission denied"; an officer is not
    # let into the admin at all: a page says the admin is for staff (issue 14: the redirect to
    # sign in looped, as they are signed in).
    client.force_login(factories.user(role=roles.EDITOR))
    response = client.get(reverse("certificates_admin:issue_index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/")
    client.force_login(factories.officer())
    assert client.get(reverse("certificates_admin:issue_index")).status_code == 403


def test_issue_index_lead_sees_all_delivered(client, session, lead):
    factories.delivered_session(day_count=1, reference="OTHER-001")
    factories.session(reference="SCHED-001")
    client.force_login(lead)
    body = client.get(reverse("certificates_admin:issue_index")).content.decode()
    assert session.reference in body and "OTHER-001" in body
    assert "SCHED-001" not in body


def test_preview_lists_eligible_and_why_not(client, session, trainer):
    client.force_login(trainer)
    response = client.get(issue_url(session))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Eligible, no certificate yet (2)" in body
    assert "Not eligible (1)" in body
    assert "Attended 3 of 5 days (60%); 80% needed." in body
    assert "Issue 2 certificates" in body
    assert not Certificate.objects.exists()


def test_issue_in_one_action(client, session, trainer, django_capture_on_commit_callbacks):
    from django.core import mail

    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(issue_url(session), {"action": "issue"})
    assert response.status_code == 302
    assert Certificate.objects.filter(session=session).count() == 2
    assert len(mail.outbox) == 2
    body = client.get(issue_url(session)).content.decode()
    assert "Certificates issued (2)" in body


def test_override_from_the_page(client, session, trainer):
    short = session.registrations.order_by("pk").last().officer
    client.force_login(trainer)
    refused = client.post(
        issue_url(session),
        {"action": "override", "officer": short.pk, "eligible": "1"},
        follow=True,
    )
    assert "Say why the rule is overridden." in refused.content.decode()
    assert not EligibilityOverride.objects.exists()
    client.post(
        issue_url(session),
        {"action": "override", "officer": short.pk, "eligible": "1", "reason": "Make-up day."},
    )
    override = EligibilityOverride.objects.get()
    assert (
        override.eligible and override.reason == "Make-up day." and override.decided_by == trainer
    )
    body = client.get(issue_url(session)).content.decode()
    assert "Eligible, no certificate yet (3)" in body
    assert "Make-up day." in body


def test_other_trainer_and_officer_get_404(client, session):
    client.force_login(factories.user(role=roles.TRAINER))
    assert client.get(issue_url(session)).status_code == 404
    assert client.post(issue_url(session), {"action": "issue"}).status_code == 404
    zip_url = reverse("certificates_admin:session_zip", args=[session.pk])
    assert client.get(zip_url).status_code == 404
    assert not Certificate.objects.exists()
    client.force_login(factories.officer())
    response = client.get(issue_url(session))
    assert response.status_code in (302, 403)  # no admin access at all


def test_anonymous_is_sent_to_sign_in(client, session):
    response = client.get(issue_url(session))
    assert response.status_code == 302


def test_zip_holds_every_certificate_and_is_reproducible(client, session, lead):
    issued = services.bulk_issue_for_session(session=session, acting_user=lead)
    client.force_login(lead)
    url = reverse("certificates_admin:session_zip", args=[session.pk])
    first = client.get(url)
    assert first["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(first.content)).namelist()
    assert sorted(names) == sorted(f"{c.serial}.pdf" for c in issued)
    assert client.get(url).content == first.content


def test_revoke_and_reissue_forms(client, session, trainer):
    certificates = services.bulk_issue_for_session(session=session, acting_user=trainer)
    first, second = certificates
    client.force_login(trainer)
    revoke_url = reverse("certificates_admin:revoke", args=[first.pk])
    assert client.get(revoke_url).status_code == 200
    empty = client.post(revoke_url, {"reason": "  "})
    assert empty.status_code == 200
    first.refresh_from_db()
    assert first.status == "valid"
    client.post(revoke_url, {"reason": "Wrong officer."})
    first.refresh_from_db()
    assert first.status == "revoked" and first.revocation_reason == "Wrong officer."

    client.post(reverse("certificates_admin:reissue", args=[second.pk]), {"reason": "Typo."})
    second.refresh_from_db()
    assert second.status == "superseded"
    assert second.superseded_by.reissue_reason == "Typo."

    client.force_login(factories.user(role=roles.TRAINER))
    assert client.get(reverse("certificates_admin:revoke", args=[first.pk])).status_code == 404


def test_certificate_listing_filters_and_scope(client, session, trainer, lead):
    services.bulk_issue_for_session(session=session, acting_user=trainer)
    other = factories.delivered_session(day_count=1)
    officer = factories.officer()
    factories.attendance(session_obj=other, officer_obj=officer, attended=1)
    foreign = services.issue_certificate(session=other, officer=officer, acting_user=lead)
    url = reverse("issued_certificates:index")

    client.force_login(trainer)
    body = client.get(url).content.decode()
    assert "LETP-2023-000001" in body and foreign.serial not in body

    client.force_login(lead)
    assert foreign.serial in client.get(url).content.decode()
    services.revoke(certificate=foreign, reason="x", acting_user=lead)
    revoked = client.get(url, {"status": "revoked"}).content.decode()
    assert foreign.serial in revoked and "LETP-2023-000001" not in revoked
    by_year = client.get(url, {"year": "2022"}).content.decode()
    assert foreign.serial not in by_year
    inspect = client.get(reverse("issued_certificates:inspect", args=[foreign.pk]))
    assert inspect.status_code == 200
    assert client.get(reverse("issued_certificates:add")).status_code in (302, 403, 404)


def test_listing_query_count_does_not_grow(client, course_rules, lead):
    factories.certificate_template()
    client.force_login(lead)
    url = reverse("issued_certificates:index")

    def add(n):
        s = factories.delivered_session(day_count=1)
        for _ in range(n):
            factories.attendance(session_obj=s, officer_obj=factories.officer(), attended=1)
        services.bulk_issue_for_session(session=s, acting_user=lead)

    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(15)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_issue_index_query_count_does_not_grow(client, course_rules, lead):
    client.force_login(lead)
    url = reverse("certificates_admin:issue_index")
    for _ in range(3):
        factories.delivered_session(day_count=1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        factories.delivered_session(day_count=1)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_template_preview_and_snippet_pages(client, lead, trainer):
    template = factories.certificate_template(key="participation")
    client.force_login(lead)
    preview = client.get(reverse("certificates_admin:template_preview", args=[template.pk]))
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    listing = client.get(reverse("wagtailsnippets_certificates_certificatetemplate:list"))
    assert listing.status_code == 200
    assert reverse("certificates_admin:template_preview", args=[template.pk]) in (
        listing.content.decode()
    )
    client.force_login(trainer)
    assert (
        client.get(reverse("certificates_admin:template_preview", args=[template.pk])).status_code
        == 404
    )


def test_template_form_refuses_unknown_placeholder(client, lead):
    client.force_login(lead)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    response = client.post(
        url,
        {
            "key": "bad",
            "name": "Bad",
            "heading": "Certificate",
            "wording": "To {officer_name} at {email}",
            "language": "en",
            "page_size": "A4",
            "orientation": "landscape",
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
            "signatories-MIN_NUM_FORMS": "0",
            "signatories-MAX_NUM_FORMS": "4",
        },
    )
    assert response.status_code == 200
    assert "Unknown placeholder(s): {email}" in response.content.decode()
    from certificates.models import CertificateTemplate

    assert not CertificateTemplate.objects.filter(key="bad").exists()


def test_menu_shows_certificates_to_staff(client, trainer):
    client.force_login(trainer)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Issue certificates" in body or "Certificates" in body


def test_course_editor_offers_the_certificate_templates(client):
    from courses.models import CoursePage

    factories.certificate_template(key="advanced-award", name="Advanced award")
    course = factories.course()
    client.force_login(factories.user(is_superuser=True, is_staff=True))
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert 'value="advanced-award"' in html and "Advanced award" in html
    assert 'value="none"' in html
    form_class = CoursePage.get_edit_handler().get_form_class()
    form = form_class(instance=course, for_user=None, parent_page=course.get_parent())
    assert ("advanced-award", "Advanced award") in form.fields["certificate_template"].choices


def test_preview_flags_an_unverified_officer(client, session, trainer):
    """An officer the programme has not verified is flagged in the Identity column; verified
    ones are not."""
    pending = factories.officer(verified=False, first_name="Pending", last_name="Person")
    factories.attendance(session_obj=session, officer_obj=pending, attended=5)
    client.force_login(trainer)
    body = client.get(issue_url(session)).content.decode()
    assert '<th scope="col">Identity</th>' in body
    assert body.count("unverified-flag") == 1
    row = body[body.index("Pending Person") :]
    row = row[: row.index("</tr>")]
    assert "Not verified" in row


def test_preview_flags_nobody_when_all_are_verified(client, session, trainer):
    client.force_login(trainer)
    body = client.get(issue_url(session)).content.decode()
    assert "unverified-flag" not in body and body.count(">Verified<") == 3
