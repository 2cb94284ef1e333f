"""Roster and attendance exports (CSV, XLSX) and the printable sign-in sheet."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sessions.models import Attendance
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    s = factories.session(
        days=[
            (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17)),
            (datetime.date(2030, 3, 5), datetime.time(9), datetime.time(17)),
        ]
    )
    trainer = factories.trainer()
    s.trainers.add(trainer)
    reg = factories.registration(
        session_obj=s, officer_obj=factories.officer(first_name="Ada", last_name="Lee")
    )
    day1 = s.days.order_by("date").first()
    Attendance.objects.create(registration=reg, day=day1, status="late", method="roll_call")
    return s, trainer, reg


def url(s, table, fmt):
    return reverse("training_sessions:export", args=[s.reference, table, fmt])


def test_exports_and_sheet_are_for_the_sessions_staff_only(client, setup):
    s, trainer, reg = setup
    sheet = reverse("training_sessions:sign_in_sheet", args=[s.reference])
    for outsider in (reg.officer, factories.trainer()):
        client.force_login(outsider)
        assert client.get(url(s, "roster", "csv")).status_code == 404
        assert client.get(sheet).status_code == 404
    client.force_login(trainer)
    assert client.get(url(s, "roster", "pdf")).status_code == 404
    page = client.get(sheet).content.decode()
    assert "Ada Lee" in page and "Tue 5 Mar" in page


def test_attendance_sheet_csv_has_a_column_per_day(client, setup):
    s, trainer, reg = setup
    client.force_login(trainer)
    response = client.get(url(s, "attendance", "csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][3:] == ["2030-03-04", "2030-03-05"]
    assert rows[1] == [
        reg.officer.email,
        "Ada Lee",
        str(reg.officer.officer_profile.agency),
        "late",
        "",
    ]


def test_roster_xlsx_reads_back(client, setup):
    s, _trainer, reg = setup
    client.force_login(factories.lead())
    response = client.get(url(s, "roster", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == reg.officer.email and values[1][4] == "Confirmed"
