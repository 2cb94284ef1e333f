"""`manage.py session_report`: one JSON object, or the same as figure,value CSV rows."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time


@pytest.fixture
def year_2023():
    course = factories.course(code="VAI-201")
    hk = factories.session(
        status="delivered",
        course_obj=course,
        country="HK",
        delivery="in_person",
        days=[(D(2023, 3, 1), T(9), T(17)), (D(2023, 3, 2), T(9), T(12, 30))],
    )
    factories.session(
        status="delivered",
        course_obj=course,
        country="",
        delivery="remote",
        days=[(D(2023, 6, 1), T(14), T(16))],
    )
    factories.session(status="scheduled", course_obj=course, days=[(D(2023, 11, 1), T(9), T(17))])
    factories.attended(session_obj=hk, officer_obj=factories.officer())
    factories.headcount(session_obj=hk, count=30, jurisdiction="MO")


# Officers present or late on a delivered 2023 session of the fixture (headcounts are not invited).
INVITED = 1


def run(*args):
    out = io.StringIO()
    call_command("session_report", *args, stdout=out)
    return out.getvalue()


def test_json_is_one_object_with_the_documented_keys_in_order(year_2023):
    report = json.loads(run("--year", "2023", "--format", "json"))
    assert list(report) == [
        "year",
        "sessions",
        "by_country",
        "by_course",
        "participants",
        "officers",
        "agencies",
        "jurisdictions",
        "training_hours",
        "certificates",
        "feedback",
    ]
    assert list(report["sessions"]) == [
        "delivered",
        "in_person",
        "remote",
        "hybrid",
        "planned",
        "cancelled",
    ]
    assert report == {
        "year": 2023,
        "sessions": {
            "delivered": 2,
            "in_person": 1,
            "remote": 1,
            "hybrid": 0,
            "planned": 1,
            "cancelled": 0,
        },
        "by_country": {"HK": 1},
        "by_course": {"VAI-201": 2},
        "participants": 31,
        "officers": 1,
        "agencies": 1,
        "jurisdictions": 2,
        "training_hours": 13.5,
        "certificates": 0,
        # No answers: the figures read from answers are suppressed (fewer than 5).
        "feedback": {
            "responses": 0,
            "invited": INVITED,
            "response_rate": 0.0,
            "satisfaction_avg": None,
            "satisfied": None,
            "recommend_nps": None,
            "knowledge_gain_points": None,
        },
    }


def test_json_is_the_default_format(year_2023):
    assert json.loads(run("--year", "2023"))["sessions"]["delivered"] == 2


def test_csv_prints_the_same_figures_as_rows(year_2023):
    rows = list(csv.reader(io.StringIO(run("--year", "2023", "--format", "csv"))))
    assert rows[0] == ["figure", "value"]
    assert rows[1:] == [
        ["year", "2023"],
        ["sessions.delivered", "2"],
        ["sessions.in_person", "1"],
        ["sessions.remote", "1"],
        ["sessions.hybrid", "0"],
        ["sessions.planned", "1"],
        ["sessions.cancelled", "0"],
        ["by_country.HK", "1"],
        ["by_course.VAI-201", "2"],
        ["participants", "31"],
        ["officers", "1"],
        ["agencies", "1"],
        ["jurisdictions", "2"],
        ["training_hours", "13.5"],
        ["certificates", "0"],
        ["feedback.responses", "0"],
        ["feedback.invited", str(INVITED)],
        ["feedback.response_rate", "0.0"],
        ["feedback.satisfaction_avg", ""],
        ["feedback.satisfied", ""],
        ["feedback.recommend_nps", ""],
        ["feedback.knowledge_gain_points", ""],
    ]


def test_a_year_without_sessions_reports_zeros():
    report = json.loads(run("--year", "1999"))
    assert report["sessions"]["delivered"] == 0
    assert report["by_country"] == {} and report["training_hours"] == 0


def test_the_year_is_required_and_the_format_checked():
    with pytest.raises(CommandError):
        run("--format", "json")
    with pytest.raises(CommandError):
        run("--year", "2023", "--format", "xml")
