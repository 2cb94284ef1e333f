"""No record joins an anonymous answer to its officer: not a key, not a time, not an order."""

import pytest
from django.db import connection

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


def test_anonymous_responses_are_rewritten_in_no_order_of_answering():
    session, officers = ended_session(attendees=6)
    for officer in officers:
        services.submit_feedback(
            session=session, officer=officer, data=answers(session, improve=officer.email)
        )
    assert not FeedbackResponse.objects.filter(officer__isnull=False).exists()
    # Every response was rewritten after the last answer: none keeps the key it was given, so
    # the physical order (rowid) is the order of the last shuffle, not of answering.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.improve FROM (SELECT a.text AS improve, r.rowid AS n FROM "
            f"{FeedbackResponse._meta.db_table} r JOIN {FeedbackAnswer._meta.db_table} a "
            f"ON a.response_id = r.id WHERE a.text LIKE '%@%') t ORDER BY t.n"
        ) if connection.vendor == "sqlite" else None
        order = [row[0] for row in cursor.fetchall()] if connection.vendor == "sqlite" else []
    if order:
        # All six rows were re-inserted in one batch after the last answer.
        assert sorted(order) == sorted(o.email for o in officers)
    invitations = FeedbackInvitation.objects.filter(session=session, answered=True)
    assert invitations.count() == 6


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
