"""The yearly report's feedback figures on hand-counted data, and suppression below 5."""

import datetime

import pytest

from evaluation import services
from evaluation.models import CheckQuestion, KnowledgeCheck, Question
from reports import feedback
from reports.figures import NO_FILTERS, year_report
from tests import factories

pytestmark = pytest.mark.django_db


def _data(session, overall, recommend):
    data = {}
    for question in Question.objects.filter(question_set__is_programme_default=True):
        if question.key == "overall":
            data[question.pk] = overall
        elif question.key == "recommend":
            data[question.pk] = recommend
        elif question.kind == "rating":
            data[question.pk] = 3
    return data


def _year_with_answers(scores, invited_extra=1):
    """A delivered 2023 session; one officer per (overall, recommend) pair answers."""
    session = factories.delivered_session(day_count=1, start=datetime.date(2023, 3, 6))
    officers = [factories.officer() for _ in range(len(scores) + invited_extra)]
    for officer in officers:
        factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    opens = session.days.get().ends_at
    for officer, (overall, recommend) in zip(officers, scores, strict=False):
        services.submit_feedback(
            session=session, officer=officer, data=_data(session, overall, recommend), now=opens
        )
    return session, officers


def test_feedback_figures_on_hand_counted_data():
    # overall: 5,5,4,3,2 -> avg 3.8, satisfied 3; recommend: 10,9,8,6,0 -> 2 promoters,
    # 2 detractors of 5 -> NPS 0; 5 of 6 attended answered.
    session, officers = _year_with_answers([(5, 10), (5, 9), (4, 8), (3, 6), (2, 0)])
    pre = KnowledgeCheck.objects.create(course=session.course, kind="pre")
    post = KnowledgeCheck.objects.create(course=session.course, kind="post")
    for check in (pre, post):
        for i in range(4):
            CheckQuestion.objects.create(check_obj=check, sort_order=i, text="Q", choices="*a\nb")
    start = session.days.get().starts_at
    for officer, (pre_right, post_right) in zip(
        officers[:5], [(1, 3), (2, 4), (0, 2), (2, 2), (1, 4)], strict=True
    ):
        for check, right, when in (
            (pre, pre_right, start - datetime.timedelta(hours=1)),
            (post, post_right, start + datetime.timedelta(hours=1)),
        ):
            questions = list(check.questions.all())
            choices = {q.pk: (0 if i < right else 1) for i, q in enumerate(questions)}
            services.submit_attempt(
                check=check, session=session, officer=officer, choices=choices, now=when
            )
    # Gains in points: 50, 50, 50, 0, 75 -> mean 45.
    assert year_report(2023)["feedback"] == {
        "responses": 5,
        "invited": 6,
        "response_rate": 0.83,
        "satisfaction_avg": 3.8,
        "satisfied": 3,
        "recommend_nps": 0,
        "knowledge_gain_points": 45.0,
    }


def test_four_responses_suppress_the_answer_figures_and_every_breakdown():
    _year_with_answers([(5, 10)] * 4)
    figures = year_report(2023)["feedback"]
    assert figures["responses"] == 4
    assert figures["satisfaction_avg"] is None and figures["recommend_nps"] is None
    for table in feedback.tables(2023, filters=NO_FILTERS):
        for row in table.rows:
            assert row[1] == "fewer than 5", (table.key, row)


def test_five_responses_show_in_the_breakdowns():
    _session, _officers = _year_with_answers([(4, 9)] * 5)
    table = feedback.breakdown_table("course", 2023, filters=NO_FILTERS)
    assert table.rows[0][1] == 5 and table.rows[0][2] == 4.0
    by_type = feedback.breakdown_table("agency_type", 2023, filters=NO_FILTERS)
    assert by_type.rows[0][0] == "Police" and by_type.rows[0][1] == 5
