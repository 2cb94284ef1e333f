"""The feedback form, the knowledge check and the staff results pages, by who asks."""

import pytest
from django.urls import reverse

from evaluation.models import CheckQuestion, FeedbackResponse, KnowledgeCheck
from tests import factories
from tests.clients import MusterClient as Client

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_attendee_sees_the_anonymous_notice_and_answers():
    session, (officer,) = ended_session(attendees=1)
    url = reverse("evaluation:feedback", args=[session.reference])
    client = _client(officer)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Your answers are anonymous" in page.content
    data = {f"q{pk}": value for pk, value in answers(session).items()}
    response = client.post(url, data)
    assert response.status_code == 302
    assert FeedbackResponse.objects.count() == 1
    assert b"Thank you for your feedback" in client.get(url).content


def test_a_missing_required_answer_comes_back_with_the_error():
    session, (officer,) = ended_session(attendees=1)
    url = reverse("evaluation:feedback", args=[session.reference])
    data = {f"q{pk}": value for pk, value in answers(session, overall="").items()}
    response = _client(officer).post(url, data)
    assert response.status_code == 400
    assert b"This question needs an answer." in response.content
    assert not FeedbackResponse.objects.exists()


def test_someone_who_did_not_attend_gets_404_and_anonymous_is_sent_to_sign_in():
    session, _officers = ended_session(attendees=1)
    url = reverse("evaluation:feedback", args=[session.reference])
    assert _client(factories.officer()).get(url).status_code == 404
    assert _client(factories.trainer()).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_a_closed_form_says_so():
    session, (officer,) = ended_session(attendees=1, days_ago=40)
    url = reverse("evaluation:feedback", args=[session.reference])
    page = _client(officer).get(url)
    assert b"is not open" in page.content
    data = {f"q{pk}": value for pk, value in answers(session).items()}
    _client(officer).post(url, data)
    assert not FeedbackResponse.objects.exists()


def test_the_post_test_shows_the_score_after_answering():
    session, (officer,) = ended_session(attendees=1)
    check = KnowledgeCheck.objects.create(course=session.course, kind="post", pass_mark=50)
    question = CheckQuestion.objects.create(check_obj=check, text="Q", choices="a\n*b")
    url = reverse("evaluation:knowledge_check", args=[session.reference, "post"])
    client = _client(officer)
    assert client.post(url, {f"q{question.pk}": "1"}).status_code == 302
    assert b"Your score: 100%" in client.get(url).content
    assert _client(factories.officer()).get(url).status_code == 404


def test_results_are_for_the_sessions_trainers_and_leads():
    trainer = factories.trainer()
    session, _officers = ended_session(attendees=1)
    session.trainers.add(trainer)
    url = reverse("evaluation_admin:session_results", args=[session.pk])
    assert _client(trainer).get(url).status_code == 200
    assert _client(factories.lead()).get(url).status_code == 200
    assert _client(factories.trainer()).get(url).status_code == 404
    # A signed-in officer is told the admin is for staff (accounts/middleware.py).
    assert _client(factories.officer()).get(url).status_code == 403
    index = reverse("evaluation_admin:results_index")
    listing = _client(trainer).get(index)
    assert session.reference.encode() in listing.content


def test_a_trainer_shows_the_qr_code_of_the_form():
    trainer = factories.trainer()
    session, (officer,) = ended_session(attendees=1)
    session.trainers.add(trainer)
    url = reverse("evaluation:feedback_code", args=[session.reference])
    page = _client(trainer).get(url)
    assert page.status_code == 200 and b"<svg" in page.content
    assert _client(officer).get(url).status_code == 404
