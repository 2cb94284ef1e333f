"""Results per session: fewer than 5 responses are withheld; 5 show; constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import selectors, services

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db


def _answered(n, **values):
    session, officers = ended_session(attendees=n + 1)
    for officer in officers[:n]:
        services.submit_feedback(session=session, officer=officer, data=answers(session, **values))
    return session


def test_four_responses_are_suppressed():
    results = selectors.session_results(_answered(4))
    assert results.responses == 4 and results.invited == 5
    assert results.suppressed
    assert all(
        row.suppressed and row.average is None and not row.texts for row in results.questions
    )


def test_five_responses_are_shown_with_averages_distribution_and_free_text():
    results = selectors.session_results(_answered(5, overall=4, improve="Mehr Übungen"))
    assert not results.suppressed
    assert results.response_rate == 83  # 5 of 6
    overall = next(r for r in results.questions if r.question.key == "overall")
    assert overall.average == 4 and dict(overall.distribution)["4"] == 5
    improve = next(r for r in results.questions if r.question.key == "improve")
    assert improve.texts == ["Mehr Übungen"] * 5


def test_results_take_the_same_queries_for_5_or_12_responses():
    small, large = _answered(5), _answered(12)
    with CaptureQueriesContext(connection) as few:
        selectors.session_results(small)
    with CaptureQueriesContext(connection) as many:
        selectors.session_results(large)
    assert len(few) == len(many)


def test_breakdowns_suppress_groups_below_five():
    five = _answered(5)
    four = _answered(4)
    from sessions.models import TrainingSession

    sessions = TrainingSession.objects.filter(pk__in=[five.pk, four.pk])
    rows = {k: (n, avg) for k, n, avg in selectors.feedback_breakdown("course", sessions)}
    assert rows[five.course.code] == (5, 5.0)
    assert rows[four.course.code] == (None, None)
