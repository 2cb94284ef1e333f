"""Public session pages and the training request form."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.models import TrainingRequest
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def future(days):
    return datetime.date.today() + datetime.timedelta(days=days)


# --- Upcoming list -----------------------------------------------------------------------


def test_upcoming_list_shows_dates_local_times_zone_place_and_seats(client):
    s = factories.session(
        reference="UP-HK",
        time_zone="Asia/Hong_Kong",
        city="Hong Kong",
        country="HK",
        capacity=20,
        days=[(future(10), T(9), T(17)), (future(11), T(9), T(17))],
    )
    factories.registration(session_obj=s)
    factories.registration(session_obj=s, status="waitlisted")
    factories.session(
        reference="UP-REMOTE",
        delivery="remote",
        time_zone="Europe/Paris",
        days=[(future(12), T(14), T(16))],
    )
    factories.session(reference="UP-DRAFT", status="draft", days=[(future(12), T(9), T(10))])
    factories.session(reference="PAST", days=[(D(2020, 1, 6), T(9), T(10))])
    response = client.get("/en/sessions/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "UP-HK" in body and "UP-REMOTE" in body
    assert "UP-DRAFT" not in body and "PAST" not in body
    rows = {row["session"].reference: row for row in response.context["rows"]}
    assert rows["UP-HK"]["session"].seats_left == 19
    assert "Asia/Hong_Kong" in body and "Europe/Paris" in body
    assert "9 a.m.\u20135 p.m." in body or "09:00\u201317:00" in body
    assert "Online" in body
    assert "Hong Kong, Hong Kong" in body  # city, country


def test_upcoming_filters(client):
    course = factories.course(title="Tracing")
    factories.session(
        reference="F-HK",
        course_obj=course,
        country="HK",
        language="en",
        days=[(future(40), T(9), T(17))],
    )
    factories.session(
        reference="F-TH",
        country="TH",
        delivery="remote",
        language="th",
        days=[(future(80), T(9), T(17))],
    )

    def listed(query):
        response = client.get("/en/sessions/?" + query)
        assert response.status_code == 200
        return {row["session"].reference for row in response.context["rows"]}

    assert listed("") == {"F-HK", "F-TH"}
    assert listed(f"course={course.pk}") == {"F-HK"}
    assert listed("country=TH") == {"F-TH"}
    assert listed("delivery=remote") == {"F-TH"}
    assert listed("language=th") == {"F-TH"}
    assert listed("month=" + future(40).strftime("%Y-%m")) == {"F-HK"}


def test_bad_filter_values_get_a_message_and_no_rows(client):
    factories.session(days=[(future(5), T(9), T(17))])
    response = client.get("/en/sessions/?month=someday&country=ZZ")
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Enter a month" in response.content.decode()


def test_upcoming_list_query_count_does_not_grow_with_rows(client):
    course = factories.course()

    def make(n, offset):
        for i in range(n):
            s = factories.session(
                course_obj=course,
                days=[(future(offset + i), T(9), T(12)), (future(offset + i + 1), T(13), T(15))],
            )
            factories.registration(session_obj=s)

    make(10, 1)
    with CaptureQueriesContext(connection) as ten:
        assert client.get("/en/sessions/").status_code == 200
    make(190, 20)
    with CaptureQueriesContext(connection) as two_hundred:
        response = client.get("/en/sessions/")
    assert len(response.context["rows"]) == 200
    # Filter choices, sessions with seats left, their days: a handful, whatever the rows.
    assert 4 <= len(ten) <= 8
    assert len(two_hundred) == len(ten)


# --- Session page ------------------------------------------------------------------------


@pytest.fixture
def hk_session():
    return factories.session(
        reference="2031-HK-020",
        time_zone="Asia/Hong_Kong",
        venue="Police HQ",
        city="Hong Kong",
        country="HK",
        join_url="https://meet.example/room",
        days=[(D(2031, 11, 29), T(9), T(17))],
    )


def test_session_page_shows_times_in_session_zone_and_the_viewers(client, hk_session):
    client.cookies["muster_tz"] = "Europe/London"
    response = client.get("/en/sessions/2031-HK-020/")
    body = response.content.decode()
    assert "Time (Asia/Hong_Kong)" in body
    assert "Your time (Europe/London)" in body
    # 09:00 in Hong Kong is 01:00 in London (GMT, UTC+0 in November).
    assert "1 a.m." in body or "01:00" in body
    assert "Police HQ, Hong Kong" in body
    assert "https://meet.example/room" not in body
    assert 'src="/static/js/viewer-zone.js"' in body
    assert "<script>" not in body


def test_profile_zone_wins_over_the_browser_and_same_zone_adds_no_column(client, hk_session):
    officer = factories.officer(time_zone="Asia/Hong_Kong")
    client.force_login(officer)
    client.cookies["muster_tz"] = "Europe/London"
    body = client.get("/en/sessions/2031-HK-020/").content.decode()
    assert "Your time" not in body
    # A zone chosen on the page wins over both.
    body = client.get("/en/sessions/2031-HK-020/?tz=America/New_York").content.decode()
    assert "Your time (America/New_York)" in body


def test_an_unknown_zone_is_ignored(client, hk_session):
    body = client.get("/en/sessions/2031-HK-020/?tz=Mars/Olympus").content.decode()
    assert "Your time" not in body


def test_register_area(client, hk_session):
    body = client.get("/en/sessions/2031-HK-020/").content.decode()
    assert "Sign in to register" in body and 'id="register"' not in body
    client.force_login(factories.officer())
    body = client.get("/en/sessions/2031-HK-020/").content.decode()
    assert 'id="register"' in body and "Sign in to register" not in body


def test_drafts_and_unknown_references_answer_404(client):
    draft = factories.session(status="draft")
    assert client.get(f"/en/sessions/{draft.reference}/").status_code == 404
    assert client.get("/en/sessions/NOPE/").status_code == 404


def test_session_page_seats_left_counts_confirmed_only(client, hk_session):
    hk_session.capacity = 3
    hk_session.save()
    factories.registration(session_obj=hk_session)
    factories.registration(session_obj=hk_session, status="cancelled")
    response = client.get("/en/sessions/2031-HK-020/")
    assert response.context["session"].seats_left == 2


# --- Training requests (public form) -----------------------------------------------------


def test_request_form_anonymous_is_sent_to_sign_in(client):
    response = client.get("/en/training-requests/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_request_form_refuses_unverified_officers_with_the_next_step(client):
    client.force_login(factories.officer(verified=False))
    response = client.get("/en/training-requests/new/")
    assert response.status_code == 403
    assert "Only verified officers" in response.content.decode()
    response = client.post(
        "/en/training-requests/new/",
        {"topic": "DeFi", "expected_participants": 5, "delivery": "remote"},
    )
    assert response.status_code == 403
    assert not TrainingRequest.objects.exists()


def test_request_form_refuses_a_trainer_without_officer_profile(client):
    client.force_login(factories.trainer())
    assert client.get("/en/training-requests/new/").status_code == 403


def test_verified_officer_submits_a_request(client):
    officer = factories.officer()
    course = factories.course()
    client.force_login(officer)
    assert client.get("/en/training-requests/new/").status_code == 200
    response = client.post(
        "/en/training-requests/new/",
        {
            "course": course.pk,
            "preferred_start": "2031-09-01",
            "preferred_end": "2031-09-30",
            "expected_participants": "40",
            "delivery": "in_person",
            "city": "Bangkok",
        },
    )
    assert response.status_code == 302
    request = TrainingRequest.objects.get()
    assert (request.requester, request.course, request.city) == (officer, course, "Bangkok")
    assert request.agency == officer.officer_profile.agency


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"expected_participants": "5", "delivery": "remote"}, "Choose a course or describe"),
        (
            {
                "topic": "x",
                "expected_participants": "5",
                "delivery": "remote",
                "preferred_start": "2031-09-10",
                "preferred_end": "2031-09-01",
            },
            "must not be before",
        ),
        ({"topic": "x", "expected_participants": "0", "delivery": "remote"}, "at least"),
    ],
)
def test_bad_requests_get_a_message_and_write_nothing(client, data, message):
    client.force_login(factories.officer())
    response = client.post("/en/training-requests/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrainingRequest.objects.exists()


# --- Training requests (admin) -----------------------------------------------------------


def test_leads_list_accept_and_decline_requests(client):
    lead = factories.lead()
    accepted = factories.training_request(city="Manila")
    declined = factories.training_request()
    client.force_login(lead)
    assert client.get("/admin/training_requests/").status_code == 200
    assert client.get(f"/admin/training_requests/accept/{accepted.pk}/").status_code == 200
    response = client.post(f"/admin/training_requests/accept/{accepted.pk}/")
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.session.status == "draft"
    response = client.post(f"/admin/training_requests/decline/{declined.pk}/", {"reason": ""})
    assert response.status_code == 200
    declined.refresh_from_db()
    assert declined.status == "submitted"
    response = client.post(
        f"/admin/training_requests/decline/{declined.pk}/", {"reason": "Out of scope."}
    )
    assert response.status_code == 302
    declined.refresh_from_db()
    assert (declined.status, declined.decline_reason) == ("declined", "Out of scope.")


@pytest.mark.parametrize("who", ["anonymous", "officer", "trainer"])
def test_others_cannot_handle_requests(client, who):
    request = factories.training_request()
    if who == "officer":
        client.force_login(request.requester)
    elif who == "trainer":
        client.force_login(factories.trainer())
    for url in ("/admin/training_requests/", f"/admin/training_requests/accept/{request.pk}/"):
        assert client.get(url).status_code in (302, 403)
    response = client.post(f"/admin/training_requests/accept/{request.pk}/")
    assert response.status_code in (302, 403)
    request.refresh_from_db()
    assert request.status == "submitted"


def test_a_url_encoded_zone_cookie_is_understood(client, hk_session):
    client.cookies["muster_tz"] = "Europe%2FLondon"
    body = client.get("/en/sessions/2031-HK-020/").content.decode()
    assert "Your time (Europe/London)" in body
