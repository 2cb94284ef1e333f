"""My training's open feedback forms: the window read in one query, whatever the number of
sessions, and each session's own closing days respected."""

import datetime

import pytest
from django.utils import timezone

from evaluation import selectors
from evaluation.models import SessionEvaluation
from tests import factories

from .conftest import ended_session

pytestmark = pytest.mark.django_db


def _attended(officer, *, days_ago, **fields):
    session, _officers = ended_session(days_ago=days_ago, **fields)
    factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    return session


def test_open_forms_take_the_same_queries_for_one_or_six_sessions(django_assert_num_queries):
    officer = factories.officer()
    _attended(officer, days_ago=1)
    with django_assert_num_queries(1):
        assert len(selectors.open_forms_for(officer)) == 1
    for days_ago in range(2, 7):
        _attended(officer, days_ago=days_ago)
    with django_assert_num_queries(1):
        assert len(selectors.open_forms_for(officer)) == 6


def test_open_forms_agree_with_the_window_at_its_edges(settings):
    settings.MUSTER_FEEDBACK_CLOSE_DAYS = 14
    officer = factories.officer()
    session = _attended(officer, days_ago=1)
    window = selectors.feedback_window(session)
    assert selectors.open_forms_for(officer, now=window.opens) == [session]
    assert selectors.open_forms_for(officer, now=window.opens - datetime.timedelta(seconds=1)) == []
    last_open = window.closes - datetime.timedelta(seconds=1)
    assert selectors.open_forms_for(officer, now=last_open) == [session]
    assert selectors.open_forms_for(officer, now=window.closes) == []


def test_a_session_closing_sooner_than_the_programme_is_left_out(settings):
    settings.MUSTER_FEEDBACK_CLOSE_DAYS = 14
    officer = factories.officer()
    session = _attended(officer, days_ago=5)
    assert selectors.open_forms_for(officer) == [session]
    SessionEvaluation.objects.create(session=session, close_days=3)
    assert selectors.open_forms_for(officer) == []
    assert not selectors.feedback_window(session).is_open(timezone.now())
