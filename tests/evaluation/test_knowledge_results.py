"""Trainers and leads see a session's pre → post change, per officer without names; below five
officers who sat both tests the change is withheld, as feedback is."""

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import selectors
from evaluation.models import KnowledgeCheck, KnowledgeCheckAttempt
from tests import factories
from tests.clients import MusterClient as Client

from .conftest import ended_session

pytestmark = pytest.mark.django_db


def _sat(session, officers, pre_scores, post_scores):
    pre = KnowledgeCheck.objects.create(course=session.course, kind="pre")
    post = KnowledgeCheck.objects.create(course=session.course, kind="post")
    now = timezone.now()
    for check, scores in ((pre, pre_scores), (post, post_scores)):
        for officer, score in zip(officers, scores, strict=False):
            KnowledgeCheckAttempt.objects.create(
                check_obj=check, session=session, officer=officer, score=score, submitted_at=now
            )


def _page(session):
    trainer = factories.trainer()
    session.trainers.add(trainer)
    client = Client()
    client.force_login(trainer)
    url = reverse("evaluation_admin:session_results", args=[session.pk])
    return client.get(url).content.decode()


def test_five_officers_who_sat_both_show_each_change_highest_first():
    session, officers = ended_session(attendees=6)
    # The sixth sat only the pre-test: counted there, not in the change.
    _sat(session, officers, [40, 50, 60, 70, 80, 90], [60, 50, 90, 60, 100])
    knowledge = selectors.session_results(session).knowledge
    assert (knowledge.pre_count, knowledge.post_count, knowledge.both) == (6, 5, 5)
    assert knowledge.changes == [30, 20, 20, 0, -10]
    assert knowledge.gain == 12.0
    assert (knowledge.improved, knowledge.unchanged, knowledge.declined) == (3, 1, 1)
    assert knowledge.pre_average == 65.0 and knowledge.post_average == 72.0
    html = _page(session)
    assert "Change 12.0 points over 5 officers who sat both." in html
    assert "<td>+30</td>" in html and "<td>-10</td>" in html
    for officer in officers:
        assert officer.email not in html


def test_four_officers_who_sat_both_are_withheld():
    session, officers = ended_session(attendees=4)
    _sat(session, officers, [40, 50, 60, 70], [60, 50, 90, 60])
    knowledge = selectors.session_results(session).knowledge
    assert knowledge.both == 4 and knowledge.suppressed
    assert knowledge.changes == [] and knowledge.gain is None
    assert knowledge.pre_average is None and knowledge.post_average is None
    html = _page(session)
    assert "Fewer than 5 officers sat both tests" in html
    assert "knowledge-changes" not in html and "Pre-test average" not in html


def test_a_session_without_tests_says_so():
    session, _officers = ended_session(attendees=1)
    assert not selectors.session_results(session).knowledge.any
    assert "No knowledge-check attempts." in _page(session)


def test_the_change_is_read_in_one_query_whatever_the_number_of_officers(
    django_assert_num_queries,
):
    small, officers = ended_session(attendees=5)
    _sat(small, officers, [10] * 5, [20] * 5)
    large, officers = ended_session(attendees=12)
    _sat(large, officers, [10] * 12, [20] * 12)
    with django_assert_num_queries(1):
        assert selectors.session_knowledge(small).both == 5
    with django_assert_num_queries(1):
        assert selectors.session_knowledge(large).both == 12
