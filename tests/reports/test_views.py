"""The admin's Reports section: leads only; figures, tables, chart, exports, import preview."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import TestCase
from openpyxl import load_workbook

from reports.history import COLUMNS
from sessions.models import TrainingSession
from tests import factories

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time
URLS = [
    "/admin/reports/",
    "/admin/reports/chart.svg",
    "/admin/reports/export/figures.csv",
    "/admin/reports/export/all.xlsx",
    "/admin/reports/import/",
]


@pytest.fixture
def lead(client):
    user = factories.user(role="Programme lead")
    client.force_login(user)
    return user


@pytest.fixture
def programme():
    """Two years of delivered sessions with participants: 2 in 2023, 1 in 2022."""
    course = factories.course(code="VAI-201", title="Tracing")
    hk = factories.agency(name="HK Police", country="HK")
    officer = factories.officer(agency_obj=hk)
    a = factories.session(
        status="delivered",
        course_obj=course,
        country="HK",
        delivery="in_person",
        days=[(D(2023, 3, 1), T(9), T(17))],
    )
    b = factories.session(
        status="delivered",
        course_obj=course,
        country="SG",
        delivery="remote",
        days=[(D(2023, 4, 1), T(9), T(12))],
        host_agency=hk,
    )
    c = factories.session(
        status="delivered",
        course_obj=course,
        country="HK",
        delivery="hybrid",
        days=[(D(2022, 4, 1), T(9), T(12))],
    )
    factories.attended(session_obj=a, officer_obj=officer)
    factories.headcount(session_obj=b, count=20, jurisdiction="SG")
    factories.headcount(session_obj=c, count=5, agency_obj=hk)
    return a, b, c


def test_anonymous_people_are_sent_to_sign_in(client):
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("role", ["Trainer", "Editor", "Officer"])
def test_trainers_editors_and_officers_are_refused(client, role):
    client.force_login(factories.user(role=role))
    for url in URLS:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/login/" in response["Location"] or response["Location"] == "/admin/"
    assert client.post("/admin/reports/import/confirm/").status_code in (302, 403)


def test_trainers_do_not_see_the_menu_item_or_the_dashboard_panel(client):
    client.force_login(factories.user(role="Trainer"))
    body = client.get("/admin/").content.decode()
    assert "/admin/reports/" not in body
    assert "Programme figures" not in body


def test_a_lead_sees_the_menu_item_and_the_dashboard_panel(client, lead, programme):
    body = client.get("/admin/").content.decode()
    assert "/admin/reports/" in body
    assert "Programme figures" in body


def test_the_report_page_shows_the_year_beside_the_previous_one(client, lead, programme):
    response = client.get("/admin/reports/", {"year": 2023})
    assert response.status_code == 200
    figures = response.context["figures_table"]
    delivered = figures.rows[0]
    assert [delivered[1], delivered[2], delivered[3]] == [2, 1, 1]
    participants = next(r for r in figures.rows if str(r[0]) == "Participants")
    assert participants[1:4] == [21, 5, 16]
    keys = [t.key for t in response.context["tables"]]
    assert keys == [
        "by_country",
        "by_course",
        "by_topic",
        "by_trainer",
        "by_host_agency",
        "by_agency_type",
        "feedback_by_course",
        "feedback_by_trainer",
        "feedback_by_agency_type",
        "feedback_by_jurisdiction",
    ]
    by_country = next(t for t in response.context["tables"] if t.key == "by_country")
    assert [row[:3] for row in by_country.rows] == [
        ["HK Hong Kong", 1, 1],
        ["SG Singapore", 1, 20],
    ]
    body = response.content.decode()
    assert (
        "<script>" not in body.split("<main")[-1].split("</main>")[0] if "<main" in body else True
    )
    assert 'src="/admin/reports/chart.svg?year=2023"' in body


def test_filters_narrow_the_page_to_a_country(client, lead, programme):
    response = client.get("/admin/reports/", {"year": 2023, "country": "SG"})
    delivered = response.context["figures_table"].rows[0]
    assert delivered[1] == 1


def test_the_chart_is_svg_without_script(client, lead, programme):
    response = client.get("/admin/reports/chart.svg", {"year_from": 2021, "year_to": 2023})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.lstrip().startswith("<svg")
    assert "<script" not in svg
    assert "2021" in svg and "2023" in svg


def test_each_table_exports_as_csv(client, lead, programme):
    response = client.get("/admin/reports/export/by_course.csv", {"year": 2023})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Course", "Delivered sessions", "Participants", "Training hours"]
    assert rows[1] == ["VAI-201 Tracing", "2", "21", "11.0"]
    for key in (
        "figures",
        "by_country",
        "by_topic",
        "by_trainer",
        "by_host_agency",
        "by_agency_type",
        "per_year",
    ):
        assert client.get(f"/admin/reports/export/{key}.csv").status_code == 200, key
    assert client.get("/admin/reports/export/nothing.csv").status_code == 404


def test_every_table_exports_as_xlsx(client, lead, programme):
    response = client.get("/admin/reports/export/all.xlsx", {"year": 2023})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "figures",
        "by_country",
        "by_course",
        "by_topic",
        "by_trainer",
        "by_host_agency",
        "by_agency_type",
        "feedback_by_course",
        "feedback_by_trainer",
        "feedback_by_agency_type",
        "feedback_by_jurisdiction",
        "per_year",
    ]
    figures = workbook["figures"]
    assert [c.value for c in figures[2]][:3] == ["Delivered sessions", 2, 1]
    single = load_workbook(
        io.BytesIO(client.get("/admin/reports/export/by_country.xlsx", {"year": 2023}).content)
    )
    assert single.sheetnames == ["by_country"]


def test_the_page_and_the_command_agree(client, lead, programme):
    out = io.StringIO()
    call_command("session_report", "--year", "2023", stdout=out)
    report = json.loads(out.getvalue())
    page = client.get("/admin/reports/", {"year": 2023}).context["figures_table"]
    values = {str(row[0]): row[1] for row in page.rows}
    assert values["Delivered sessions"] == report["sessions"]["delivered"]
    assert values["Participants"] == report["participants"]
    assert values["Training hours"] == report["training_hours"]


def test_the_report_page_query_count_does_not_grow_with_sessions(client, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course = factories.course()

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/reports/", {"year": 2023}).status_code == 200
        return len(queries)

    for i in range(10):
        factories.session(
            status="delivered",
            course_obj=course,
            country="HK",
            days=[(D(2023, 1, 2) + datetime.timedelta(days=i), T(9), T(17))],
        )
    small = measure()
    for i in range(190):
        factories.session(
            status="delivered",
            course_obj=course,
            country="FR",
            days=[(D(2023, 2, 1) + datetime.timedelta(days=i), T(9), T(17))],
        )
    assert measure() == small


def _csv(*rows):
    lines = [",".join(COLUMNS)]
    for values in rows:
        lines.append(",".join(values.get(c, "") for c in COLUMNS))
    return ("\n".join(lines) + "\n").encode()


GOOD = {
    "reference": "2018-HK-001",
    "course_code": "VAI-201",
    "start_date": "2018-05-02",
    "start_time": "09:00",
    "end_time": "17:00",
    "timezone": "Asia/Hong_Kong",
    "delivery": "in_person",
    "status": "delivered",
    "country": "HK",
    "participants": "30",
}


def _upload(client, data, name="history.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/reports/import/", {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_import_previews_then_imports_on_confirm(client, lead):
    factories.course(code="VAI-201")
    response = _upload(client, _csv(GOOD))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.summary == {"create": 1, "update": 0, "unchanged": 0}
    assert "2018-HK-001" in response.content.decode()
    assert not TrainingSession.objects.exists()  # a preview writes nothing

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/admin/reports/import/confirm/")
    # The worker imports it; the confirming lead follows it on the job's page.
    assert response.status_code == 302
    assert response["Location"].startswith("/imports/")
    assert TrainingSession.objects.get().reference == "2018-HK-001"
    # The stored file is gone: confirming twice imports nothing more.
    response = client.post("/admin/reports/import/confirm/")
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/reports/import/")


def test_import_preview_lists_errors_and_offers_no_confirm(client, lead):
    factories.course(code="VAI-201")
    response = _upload(client, _csv(GOOD, {**GOOD, "reference": "2018-HK-002", "timezone": "Mars"}))
    body = response.content.decode()
    assert "Row 3, column timezone" in body
    assert "/admin/reports/import/confirm/" not in body
    assert client.post("/admin/reports/import/confirm/").status_code == 302
    assert not TrainingSession.objects.exists()


def test_another_lead_cannot_confirm_my_upload(client, lead):
    factories.course(code="VAI-201")
    _upload(client, _csv(GOOD))
    client.force_login(factories.user(role="Programme lead"))
    client.post("/admin/reports/import/confirm/")
    assert not TrainingSession.objects.exists()


def test_import_refuses_other_file_types(client, lead):
    response = _upload(client, b"%PDF-1.4", name="history.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
