"""My training tells an officer what their certificate still needs when the course requires
feedback or a passed post-test (the same rule as the eligibility preview)."""

import datetime

import pytest

from evaluation import selectors, services
from evaluation.models import CheckQuestion, CourseEvaluation, KnowledgeCheck
from tests import factories

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db


def _attended(**evaluation):
    session, (officer,) = ended_session(attendees=1)
    if evaluation:
        CourseEvaluation.objects.create(course=session.course, **evaluation)
    return session, officer


def _post_test(session, pass_mark=50):
    check = KnowledgeCheck.objects.create(course=session.course, kind="post", pass_mark=pass_mark)
    for i in range(2):
        CheckQuestion.objects.create(check_obj=check, sort_order=i, text="Q", choices="*a\nb")
    return check


def _sit(check, session, officer, right):
    first, second = check.questions.all()
    services.submit_attempt(
        check=check,
        session=session,
        officer=officer,
        choices={first.pk: 0 if right > 0 else 1, second.pk: 0 if right > 1 else 1},
        now=session.days.get().starts_at + datetime.timedelta(hours=1),
    )


def test_nothing_is_missing_when_the_course_requires_nothing():
    _session, officer = _attended()
    assert selectors.certificate_missing_for_officer(officer) == []


def test_feedback_is_missing_until_the_officer_answers(client):
    session, officer = _attended(requires_feedback=True)
    assert selectors.certificate_missing_for_officer(officer) == [
        (session, ["Feedback not given yet."])
    ]
    client.force_login(officer)
    html = client.get("/en/my-training/").content.decode()
    assert "Still needed for a certificate" in html and "Feedback not given yet." in html
    services.submit_feedback(session=session, officer=officer, data=answers(session))
    assert selectors.certificate_missing_for_officer(officer) == []
    assert "Still needed for a certificate" not in client.get("/en/my-training/").content.decode()


def test_a_post_test_below_the_mark_is_missing_and_at_the_mark_is_not():
    session, officer = _attended(requires_post_test_pass=True)
    check = _post_test(session, pass_mark=50)
    assert selectors.certificate_missing_for_officer(officer) == [
        (session, ["Post-test not taken yet."])
    ]
    other = factories.officer()
    factories.attendance(session_obj=session, officer_obj=other, attended=1)
    _sit(check, session, officer, right=1)  # 50%: exactly the mark
    _sit(check, session, other, right=0)  # 0%
    assert selectors.certificate_missing_for_officer(officer) == []
    ((_s, missing),) = selectors.certificate_missing_for_officer(other)
    assert missing == ["Post-test score 0% is below the pass mark of 50%."]


def test_the_officer_page_and_the_preview_agree(client):
    session, officer = _attended(requires_feedback=True, requires_post_test_pass=True)
    _post_test(session)
    (mine,) = selectors.certificate_missing_for_officer(officer)
    assert mine[1] == selectors.certificate_conditions_missing(session, [officer.pk])[officer.pk]


def test_another_officers_gaps_are_not_shown(client):
    session, _officer = _attended(requires_feedback=True)
    stranger = factories.officer()
    assert selectors.certificate_missing_for_officer(stranger) == []
    client.force_login(stranger)
    assert session.reference not in client.get("/en/my-training/").content.decode()


def test_the_list_grows_only_by_one_certificate_look_up_per_row_shown(django_assert_num_queries):
    officer = factories.officer()
    for days_ago in range(1, 5):
        session, _ = ended_session(days_ago=days_ago)
        CourseEvaluation.objects.create(course=session.course, requires_feedback=True)
        factories.attendance(session_obj=session, officer_obj=officer, attended=1)
        if days_ago == 1:
            with django_assert_num_queries(4 + 1):  # + the certificate hook for the one row
                assert len(selectors.certificate_missing_for_officer(officer)) == 1
    with django_assert_num_queries(4 + 4):
        assert len(selectors.certificate_missing_for_officer(officer)) == 4
