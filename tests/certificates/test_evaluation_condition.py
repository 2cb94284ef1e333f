"""A course may require feedback and a post-test pass before its certificate (issue 17)."""

import datetime

import pytest

from certificates import eligibility
from evaluation import services
from evaluation.models import CheckQuestion, CourseEvaluation, KnowledgeCheck
from tests import factories

pytestmark = pytest.mark.django_db


def _session(course_rules):
    course_rules(percent=50)
    session = factories.delivered_session(day_count=1)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    return session, officer


def _feedback(session, officer):
    from evaluation import selectors

    data = {
        q.pk: ("4" if q.kind == "rating" else "9" if q.kind == "recommend" else "")
        for q in selectors.questions_for(session)
    }
    services.submit_feedback(
        session=session, officer=officer, data=data, now=session.days.get().ends_at
    )


def test_without_the_setting_feedback_is_not_needed(course_rules):
    session, officer = _session(course_rules)
    assert eligibility.for_officer(session, officer).eligible


def test_feedback_required_makes_an_attendee_wait_until_they_answer(course_rules):
    session, officer = _session(course_rules)
    CourseEvaluation.objects.create(course=session.course, requires_feedback=True)
    row = eligibility.for_officer(session, officer)
    assert not row.eligible
    assert "Feedback not given yet." in row.explanation
    _feedback(session, officer)
    assert eligibility.for_officer(session, officer).eligible


def test_a_post_test_below_the_pass_mark_is_missing_and_at_the_mark_passes(course_rules):
    session, officer = _session(course_rules)
    other = factories.officer()
    factories.attendance(session_obj=session, officer_obj=other, attended=1)
    CourseEvaluation.objects.create(course=session.course, requires_post_test_pass=True)
    check = KnowledgeCheck.objects.create(course=session.course, kind="post", pass_mark=50)
    for i in range(2):
        CheckQuestion.objects.create(check_obj=check, sort_order=i, text="Q", choices="*a\nb")
    first, second = check.questions.all()
    when = session.days.get().starts_at + datetime.timedelta(hours=1)
    assert "Post-test not taken yet." in eligibility.for_officer(session, officer).explanation
    services.submit_attempt(
        check=check,
        session=session,
        officer=officer,
        choices={first.pk: 0, second.pk: 0},
        now=when,
    )
    services.submit_attempt(
        check=check,
        session=session,
        officer=other,
        choices={first.pk: 1, second.pk: 1},
        now=when,
    )
    rows = {row.officer.pk: row for row in eligibility.for_session(session)}
    assert rows[officer.pk].eligible
    assert not rows[other.pk].eligible
    assert "below the pass mark of 50%" in rows[other.pk].explanation
