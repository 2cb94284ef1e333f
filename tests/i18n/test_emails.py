"""E-mails and personal calendars go out in the recipient's language, never in the language of
whoever's request caused them; the public programme feed is English unless ?lang= asks."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from attendees.models import OfficerProfile
from attendees.services import verify_officer
from sessions.registration import services as registration_services
from sessions.schedule import services as schedule_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_lead_working_in_english_verifies_an_officer_who_prefers_korean(
    django_capture_on_commit_callbacks,
):
    officer = factories.officer(verified=False, preferred_language="ko")
    lead = factories.lead()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        verify_officer(profile=officer.officer_profile, acting_user=lead)
    assert officer.officer_profile.__class__.objects.get(user=officer).verification == (
        OfficerProfile.Verification.VERIFIED
    )
    (message,) = mail.outbox
    assert message.subject == "[Muster] 담당관 계정이 인증되었습니다"
    assert "verified" not in message.subject
    # The page the lead was on is still English afterwards.
    assert translation.get_language() == "en"


def test_an_officer_without_a_preference_is_written_to_in_english(
    django_capture_on_commit_callbacks,
):
    officer = factories.officer(verified=False)
    with translation.override("th"), django_capture_on_commit_callbacks(execute=True):
        verify_officer(profile=officer.officer_profile, acting_user=factories.lead())
    assert mail.outbox[0].subject == "[Muster] Your officer account is verified"


def test_a_registration_mail_and_its_calendar_are_in_the_officers_language(
    django_capture_on_commit_callbacks,
):
    officer = factories.officer(preferred_language="th")
    session = factories.session(reference="2030-TH-001", capacity=10, delivery="remote")
    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):
        registration_services.register(session=session, officer=officer, acting_user=officer)
    (message,) = mail.outbox
    assert message.subject.startswith("ลงทะเบียนแล้ว: 2030-TH-001")
    # Links in the mail open the session's page in Thai.
    assert "/th/sessions/2030-TH-001/" in message.body
    (_name, ics, _type) = message.attachments[0]
    assert "ออนไลน์" in ics.decode() if isinstance(ics, bytes) else "ออนไลน์" in ics


def test_a_personal_feed_is_in_its_owners_language_whatever_the_request(client):
    officer = factories.officer(preferred_language="ko")
    session = factories.session(delivery="remote", capacity=5)
    factories.registration(session_obj=session, officer_obj=officer)
    token = schedule_services.feed_token_for(user=officer).token
    body = client.get(
        reverse("feeds:personal", args=[token]), HTTP_ACCEPT_LANGUAGE="th"
    ).content.decode()
    assert "나의 교육 회차" in body  # "My training sessions", the calendar's name
    assert "온라인" in body


def test_the_programme_feed_is_english_unless_asked(client):
    factories.session(delivery="remote")
    url = reverse("feeds:programme")
    assert "Online" in client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "온라인" in client.get(url + "?lang=ko").content.decode()
    # A language not offered is English, not an error.
    assert "Online" in client.get(url + "?lang=fr").content.decode()
