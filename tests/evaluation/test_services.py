"""Feedback and knowledge-check services: who may answer, when, once; scoring; audit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from evaluation import selectors, services
from evaluation.models import (
    CheckQuestion,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    KnowledgeCheck,
    SessionEvaluation,
)
from tests import factories

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db


def test_an_attendee_answers_once():
    session, (officer,) = ended_session(attendees=1)
    services.submit_feedback(session=session, officer=officer, data=answers(session))
    assert FeedbackResponse.objects.filter(session=session).count() == 1
    assert FeedbackInvitation.objects.get(session=session, officer=officer).answered
    with pytest.raises(services.FeedbackRefused):
        services.submit_feedback(session=session, officer=officer, data=answers(session))
    assert FeedbackResponse.objects.filter(session=session).count() == 1


def test_an_officer_who_did_not_attend_is_refused():
    session, _officers = ended_session(attendees=0)
    absent = factories.officer()
    factories.attendance(session_obj=session, officer_obj=absent, attended=0)
    with pytest.raises(services.FeedbackRefused):
        services.submit_feedback(session=session, officer=absent, data=answers(session))


def test_a_required_question_left_empty_is_refused_and_nothing_stored():
    session, (officer,) = ended_session(attendees=1)
    with pytest.raises(ValidationError):
        services.submit_feedback(
            session=session, officer=officer, data=answers(session, overall="")
        )
    with pytest.raises(ValidationError):
        services.submit_feedback(session=session, officer=officer, data=answers(session, overall=6))
    assert not FeedbackResponse.objects.exists()
    assert not selectors.has_answered(session, officer)


def test_the_form_opens_at_the_last_days_end_in_the_sessions_zone(settings):
    settings.MUSTER_FEEDBACK_CLOSE_DAYS = 14
    session, (officer,) = ended_session(attendees=1, time_zone="Asia/Hong_Kong")
    day = session.days.get()
    # 17:00 in Hong Kong is 09:00 UTC.
    end = datetime.datetime.combine(day.date, datetime.time(9), tzinfo=datetime.UTC)
    window = selectors.feedback_window(session)
    assert window.opens == end
    assert not window.is_open(end - datetime.timedelta(seconds=1))
    assert window.is_open(end)
    with pytest.raises(services.FeedbackRefused):
        services.submit_feedback(
            session=session,
            officer=officer,
            data=answers(session),
            now=end - datetime.timedelta(minutes=1),
        )


def test_the_form_closes_after_the_close_days_and_a_session_may_set_its_own(settings):
    settings.MUSTER_FEEDBACK_CLOSE_DAYS = 14
    session, (officer,) = ended_session(attendees=1)
    window = selectors.feedback_window(session)
    assert window.closes == window.opens + datetime.timedelta(days=14)
    assert window.is_open(window.closes - datetime.timedelta(seconds=1))
    assert not window.is_open(window.closes)
    SessionEvaluation.objects.create(session=session, close_days=2)
    assert selectors.feedback_window(session).closes == window.opens + datetime.timedelta(days=2)
    with pytest.raises(services.FeedbackRefused):
        services.submit_feedback(
            session=session,
            officer=officer,
            data=answers(session),
            now=window.opens + datetime.timedelta(days=2),
        )


def test_attributed_sessions_keep_the_officer_with_the_answers():
    session, (officer,) = ended_session(attendees=1)
    lead = factories.lead()
    services.save_session_settings(
        session=session, acting_user=lead, attributed=True, reminder_days=None, close_days=None
    )
    response = services.submit_feedback(session=session, officer=officer, data=answers(session))
    assert response.officer == officer


def test_session_settings_are_audited_and_cannot_flip_after_answers():
    session, (officer,) = ended_session(attendees=1)
    lead = factories.lead()
    services.save_session_settings(
        session=session, acting_user=lead, attributed=False, reminder_days=2, close_days=10
    )
    entry = AuditEntry.objects.get(action=AuditEntry.Action.FEEDBACK_SETTINGS_CHANGED)
    assert entry.actor == lead and entry.after["close_days"] == 10
    services.submit_feedback(session=session, officer=officer, data=answers(session))
    with pytest.raises(ValidationError):
        services.save_session_settings(
            session=session, acting_user=lead, attributed=True, reminder_days=2, close_days=10
        )
    assert not SessionEvaluation.objects.get(session=session).attributed


def _check(course, kind, pass_mark=None, n=3):
    check = KnowledgeCheck.objects.create(course=course, kind=kind, pass_mark=pass_mark)
    for i in range(n):
        CheckQuestion.objects.create(
            check_obj=check, sort_order=i, text=f"Q{i}", choices="*right\nwrong"
        )
    return check


def test_an_attempt_is_scored_in_percent_once_and_audited():
    session, (officer,) = ended_session(attendees=1)
    check = _check(session.course, "post", pass_mark=70)
    questions = list(check.questions.all())
    choices = {questions[0].pk: 0, questions[1].pk: 0, questions[2].pk: 1}
    attempt = services.submit_attempt(
        check=check, session=session, officer=officer, choices=choices
    )
    assert attempt.score == 67  # 2 of 3, rounded half up
    entry = AuditEntry.objects.get(action=AuditEntry.Action.KNOWLEDGE_CHECK_ATTEMPTED)
    assert entry.subject == officer and entry.after["score"] == 67
    with pytest.raises(services.FeedbackRefused):
        services.submit_attempt(check=check, session=session, officer=officer, choices=choices)


def test_the_pre_test_closes_when_the_session_starts():
    session, (officer,) = ended_session(attendees=1)
    check = _check(session.course, "pre")
    choices = {q.pk: 0 for q in check.questions.all()}
    with pytest.raises(services.FeedbackRefused):
        services.submit_attempt(check=check, session=session, officer=officer, choices=choices)
    before = session.days.get().starts_at - datetime.timedelta(minutes=1)
    attempt = services.submit_attempt(
        check=check, session=session, officer=officer, choices=choices, now=before
    )
    assert attempt.score == 100


def test_an_unregistered_officer_cannot_take_a_test():
    session, _officers = ended_session(attendees=0)
    check = _check(session.course, "post")
    with pytest.raises(services.FeedbackRefused):
        services.submit_attempt(
            check=check,
            session=session,
            officer=factories.officer(),
            choices={q.pk: 0 for q in check.questions.all()},
        )


def test_answers_are_stored_as_numbers_and_text():
    session, (officer,) = ended_session(attendees=1)
    services.submit_feedback(
        session=session, officer=officer, data=answers(session, overall=3, improve="Plus lent")
    )
    stored = {a.question.key: a for a in FeedbackAnswer.objects.select_related("question")}
    assert stored["overall"].number == 3
    assert stored["improve"].text == "Plus lent"
    assert timezone.now()  # the answers carry no time at all
    assert not hasattr(FeedbackAnswer, "created_at")
