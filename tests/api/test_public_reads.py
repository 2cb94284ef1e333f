import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import roles
from certificates import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_catalogue_lists_live_courses_only(client):
    live = factories.course(code="VAI-101", title="Tracing")
    factories.course(code="VAI-999", title="Draft", live=False)
    response = client.get(reverse("api_v1:catalogue"))
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()]
    assert live.code in codes and "VAI-999" not in codes
    row = next(r for r in response.json() if r["code"] == "VAI-101")
    assert row["title"] == "Tracing" and row["level"] == live.level


def test_upcoming_sessions_are_scheduled_and_not_over(client):
    soon = datetime.date.today() + datetime.timedelta(days=10)
    upcoming = factories.session(
        days=[(soon, datetime.time(9), datetime.time(17))], reference="UP-1"
    )
    factories.delivered_session(reference="PAST-1")
    rows = client.get(reverse("api_v1:upcoming")).json()
    references = [row["reference"] for row in rows]
    assert upcoming.reference in references and "PAST-1" not in references
    assert rows[0]["start_date"] == soon.isoformat()


def _certificate(monkeypatch):
    for name, value in {
        "certificate_attendance_percent": 80,
        "certificate_template": "completion",
    }.items():
        monkeypatch.setitem(factories.COURSE_DEFAULTS, name, value)
    factories.certificate_template()
    session = factories.delivered_session(day_count=2)
    officer = factories.officer(first_name="Mei", last_name="Cheung")
    factories.attendance(session_obj=session, officer_obj=officer, attended=2)
    return services.issue_certificate(session=session, officer=officer, acting_user=None)


def test_certificate_status_by_code(client, monkeypatch):
    certificate = _certificate(monkeypatch)
    url = reverse("api_v1:certificate_status", kwargs={"code": certificate.verification_code})
    body = client.get(url).json()
    assert body["serial"] == certificate.serial and body["status"] == "valid"
    assert body["officer_name"] == "Mei Cheung"
    assert "email" not in str(body) and certificate.officer.email not in str(body)
    services.revoke(
        certificate=certificate,
        reason="Error",
        acting_user=factories.user(role=roles.PROGRAMME_LEAD),
    )
    assert client.get(url).json()["status"] == "revoked"


def test_an_unknown_code_is_404(client):
    assert client.get("/api/v1/certificates/nope").status_code == 404


def test_certificate_status_is_rate_limited(client, settings):
    settings.MUSTER_VERIFY_RATE_LIMIT = (3, 60)
    answers = [client.get("/api/v1/certificates/nope").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]


def test_the_openapi_schema_and_its_page(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/catalogue", "/api/v1/sessions/upcoming", "/api/v1/certificates/{code}"} <= set(
        schema["paths"]
    )
    assert client.get("/api/v1/docs").status_code == 200


@settings(max_examples=40, deadline=None)
@given(code=st.text(min_size=1, max_size=80))
def test_no_code_gives_a_server_error(client, code):
    from urllib.parse import quote

    response = client.get("/api/v1/certificates/" + quote(code, safe=""))
    assert response.status_code < 500
