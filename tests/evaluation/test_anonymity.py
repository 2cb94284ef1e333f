"""No record joins an anonymous answer to its officer: not a key, not a time, not an order."""

import pytest

from evaluation import services
from evaluation.models import FeedbackAnswer, FeedbackInvitation, FeedbackResponse

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db

USER_TABLE = "accounts_user"


def _columns(model):
    return {field.column for field in model._meta.concrete_fields}


def test_answer_tables_hold_no_officer_key_and_no_time():
    for model in (FeedbackResponse, FeedbackAnswer):
        for field in model._meta.concrete_fields:
            assert field.get_internal_type() not in {"DateTimeField", "DateField"}, field
            assert field.get_internal_type() != "AutoField", field
    # The only link to a user is the attributed-feedback column, left empty when anonymous.
    user_fks = [
        f.name
        for f in FeedbackResponse._meta.concrete_fields
        if f.related_model is not None and f.related_model._meta.label == "accounts.User"
    ]
    assert user_fks == ["officer"]
    assert "answered_at" not in _columns(FeedbackInvitation)
    assert not any("response" in column for column in _columns(FeedbackInvitation))


def test_anonymous_responses_are_rewritten_after_every_answer():
    """After each answer every response of the session gets a new random key and is written
    again in a shuffled batch, so neither keys nor physical order say who answered when."""
    session, officers = ended_session(attendees=3)
    services.submit_feedback(session=session, officer=officers[0], data=answers(session))
    services.submit_feedback(session=session, officer=officers[1], data=answers(session))
    before = set(FeedbackResponse.objects.values_list("pk", flat=True))
    before_answers = set(FeedbackAnswer.objects.values_list("pk", flat=True))
    services.submit_feedback(session=session, officer=officers[2], data=answers(session))
    after = set(FeedbackResponse.objects.values_list("pk", flat=True))
    assert len(after) == 3 and not before & after
    assert not before_answers & set(FeedbackAnswer.objects.values_list("pk", flat=True))
    assert not FeedbackResponse.objects.filter(officer__isnull=False).exists()
    assert FeedbackInvitation.objects.filter(session=session, answered=True).count() == 3


def test_the_shuffle_keeps_every_answer():
    session, officers = ended_session(attendees=5)
    for i, officer in enumerate(officers):
        services.submit_feedback(
            session=session, officer=officer, data=answers(session, overall=i + 1)
        )
    numbers = sorted(
        FeedbackAnswer.objects.filter(question__key="overall").values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5]
    assert FeedbackAnswer.objects.count() == 5 * 6
