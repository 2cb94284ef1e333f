"""A past session's page tells a signed-in officer whether they attended and links their
certificate; it no longer offers "Seats left"."""

import pytest

from accounts import roles
from certificates import services as certificate_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_attendee_sees_they_attended_and_their_certificate(client, course_rules):
    factories.certificate_template()
    session = factories.delivered_session(day_count=1)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    certificate = certificate_services.issue_certificate(
        session=session, officer=officer, acting_user=factories.user(role=roles.PROGRAMME_LEAD)
    )
    client.force_login(officer)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Seats left" not in page
    assert "You attended this session." in page
    assert certificate.get_pdf_url() in page


def test_an_officer_who_did_not_attend_is_told_so(client):
    session = factories.delivered_session(day_count=2)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=0)
    client.force_login(officer)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Seats left" not in page
    assert "You are not recorded as attending" in page


def test_a_visitor_sees_the_session_took_place(client):
    session = factories.delivered_session(day_count=1)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Seats left" not in page
    assert "This session has taken place." in page
