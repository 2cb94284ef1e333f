"""The evaluation part of the personal-data export and of anonymising."""

import pytest

from evaluation import services
from evaluation.models import (
    CheckQuestion,
    FeedbackInvitation,
    FeedbackResponse,
    KnowledgeCheck,
    KnowledgeCheckAttempt,
)
from privacy.services import anonymise_officer, personal_data
from tests import factories

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db


def test_export_lists_attempts_and_feedback_given_never_anonymous_answers():
    session, (officer,) = ended_session(attendees=1)
    services.submit_feedback(
        session=session, officer=officer, data=answers(session, improve="secret remark")
    )
    check = KnowledgeCheck.objects.create(course=session.course, kind="post")
    question = CheckQuestion.objects.create(check_obj=check, text="Q", choices="*a\nb")
    services.submit_attempt(check=check, session=session, officer=officer, choices={question.pk: 0})
    data = personal_data(officer)
    assert data["knowledge_check_attempts"][0]["score"] == 100
    assert data["feedback_given"] == [session.reference]
    assert data["attributed_feedback"] == []
    assert "secret remark" not in str(data)


def test_anonymising_removes_attempts_and_invitations_and_keeps_the_answers():
    session, (officer,) = ended_session(attendees=1)
    services.submit_feedback(session=session, officer=officer, data=answers(session))
    check = KnowledgeCheck.objects.create(course=session.course, kind="post")
    question = CheckQuestion.objects.create(check_obj=check, text="Q", choices="*a\nb")
    services.submit_attempt(check=check, session=session, officer=officer, choices={question.pk: 0})
    anonymise_officer(user=officer, acting_user=factories.lead())
    assert not KnowledgeCheckAttempt.objects.filter(officer=officer).exists()
    assert not FeedbackInvitation.objects.filter(officer=officer).exists()
    assert FeedbackResponse.objects.filter(session=session).count() == 1
