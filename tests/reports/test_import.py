"""History import: idempotent by reference, updates in place, all or nothing, dry run."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from attendees.models import Agency
from courses.models import CoursePage
from reports.figures import year_report
from reports.history import COLUMNS
from reports.services import ImportRefused, import_history
from sessions.models import Headcount, SessionDay, TrainingSession
from tests import factories

pytestmark = pytest.mark.django_db


def row(**values):
    base = {
        "reference": "2019-HK-001",
        "course_code": "VAI-101",
        "course_title": "",
        "start_date": "2019-03-04",
        "end_date": "",
        "start_time": "09:00",
        "end_time": "17:00",
        "timezone": "Asia/Hong_Kong",
        "delivery": "in_person",
        "status": "delivered",
        "city": "Hong Kong",
        "country": "HK",
        "host_agency": "",
        "participants": "",
        "participant_agencies": "",
        "participant_countries": "",
    }
    base.update(values)
    return base


def csv_bytes(*rows):
    lines = [",".join(COLUMNS)]
    lines += [",".join(r[c] for c in COLUMNS) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def run(*rows, dry_run=False):
    return import_history(data=csv_bytes(*rows), filename="history.csv", dry_run=dry_run)


@pytest.fixture
def vai():
    return factories.course(code="VAI-101", title="Virtual assets")


def test_a_row_creates_a_session_with_one_day_per_date_in_its_zone(vai):
    outcome = run(row(start_date="2019-03-04", end_date="2019-03-06", participants="30"))
    assert outcome.plan.summary == {"create": 1, "update": 0, "unchanged": 0}
    session = TrainingSession.objects.get(reference="2019-HK-001")
    assert session.course == vai
    assert (session.status, session.delivery, session.country) == ("delivered", "in_person", "HK")
    days = list(session.days.order_by("date"))
    assert [d.date for d in days] == [datetime.date(2019, 3, d) for d in (4, 5, 6)]
    # 09:00 in Hong Kong is 01:00 UTC.
    assert days[0].starts_at == datetime.datetime(2019, 3, 4, 1, tzinfo=datetime.UTC)
    assert (session.start_date, session.end_date) == (days[0].date, days[-1].date)
    # 30 people and no agency or participant country named: counted for the session's country.
    assert [(h.jurisdiction.code, h.count) for h in session.headcounts.all()] == [("HK", 30)]
    assert year_report(2019)["participants"] == 30
    assert year_report(2019)["training_hours"] == 24


def test_importing_the_same_file_twice_changes_nothing(vai):
    rows = [
        row(participants="12", participant_agencies="New Agency; Another One"),
        row(reference="2019-SG-001", country="SG", course_code="OLD-1", course_title="Old"),
    ]
    first = run(*rows)
    assert first.plan.summary["create"] == 2
    before = (
        TrainingSession.objects.count(),
        SessionDay.objects.count(),
        Headcount.objects.count(),
        Agency.objects.count(),
        CoursePage.objects.count(),
        list(TrainingSession.objects.values_list("updated_at", flat=True).order_by("pk")),
    )
    second = run(*rows)
    assert second.plan.summary == {"create": 0, "update": 0, "unchanged": 2}
    after = (
        TrainingSession.objects.count(),
        SessionDay.objects.count(),
        Headcount.objects.count(),
        Agency.objects.count(),
        CoursePage.objects.count(),
        list(TrainingSession.objects.values_list("updated_at", flat=True).order_by("pk")),
    )
    assert after == before


def test_a_changed_row_updates_its_session_and_replaces_its_headcounts(vai):
    run(row(participants="40", participant_countries="HK;MO"))
    assert year_report(2019)["participants"] == 40
    outcome = run(
        row(
            participants="25",
            participant_countries="TH",
            start_date="2019-03-05",
            end_date="2019-03-06",
            start_time="10:00",
            end_time="12:30",
            status="delivered",
            delivery="hybrid",
        )
    )
    assert outcome.plan.summary == {"create": 0, "update": 1, "unchanged": 0}
    session = TrainingSession.objects.get()
    assert session.delivery == "hybrid"
    assert [(d.date.day, d.start_time) for d in session.days.order_by("date")] == [
        (5, datetime.time(10)),
        (6, datetime.time(10)),
    ]
    assert session.start_date == datetime.date(2019, 3, 5)
    assert [(h.jurisdiction.code, h.count) for h in session.headcounts.all()] == [("TH", 25)]
    report = year_report(2019)
    assert report["participants"] == 25  # replaced, not 40 + 25
    assert report["jurisdictions"] == 1
    assert report["training_hours"] == 5


def test_an_update_cannot_drop_a_day_with_attendance(vai):
    run(row(end_date="2019-03-05"))
    session = TrainingSession.objects.get()
    factories.attended(
        session_obj=session, officer_obj=factories.officer(), statuses=("absent", "present")
    )
    with pytest.raises(ImportRefused) as refused:
        run(row(end_date="2019-03-04"))
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "start_date")]
    assert session.days.count() == 2


def test_unknown_course_becomes_an_unpublished_course_page():
    run(row(course_code="LEG-090", course_title="Retired course"))
    page = CoursePage.objects.get(code="LEG-090")
    assert page.title == "Retired course"
    assert page.live is False
    assert year_report(2019)["by_course"] == {"LEG-090": 1}


def test_participant_agencies_match_ignoring_case_and_spaces_or_are_created(vai):
    known = factories.agency(name="Hong Kong Police Force", country="HK")
    run(
        row(
            participants="50",
            participant_agencies="  hong kong POLICE force ;Brand New Unit",
            participant_countries="",
            host_agency="HONG KONG police force",
        )
    )
    created = Agency.objects.get(name="Brand New Unit")
    assert (created.type, created.jurisdiction.code) == ("other", "HK")
    session = TrainingSession.objects.get()
    assert session.host_agency == known
    assert {(h.agency_id, h.count) for h in session.headcounts.all()} == {
        (known.pk, 50),
        (created.pk, 0),
    }
    report = year_report(2019)
    assert (report["participants"], report["agencies"]) == (50, 2)


def test_a_new_agency_of_a_remote_session_goes_to_the_first_participant_country(vai):
    run(
        row(
            country="",
            delivery="remote",
            participants="9",
            participant_agencies="Remote Unit",
            participant_countries="TH;VN",
        )
    )
    assert Agency.objects.get(name="Remote Unit").jurisdiction.code == "TH"
    report = year_report(2019)
    assert report["by_country"] == {}
    assert (report["participants"], report["jurisdictions"]) == (9, 2)


def test_xlsx_with_typed_cells_imports_like_csv(vai):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    values = row(participants="7")
    values["start_date"] = datetime.date(2019, 3, 4)
    values["start_time"] = datetime.time(9)
    values["end_time"] = datetime.time(17)
    values["participants"] = 7
    sheet.append([values[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_history(data=buffer.getvalue(), filename="history.xlsx")
    assert year_report(2019)["participants"] == 7
    assert TrainingSession.objects.get().days.get().start_time == datetime.time(9)


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"timezone": "Asia/Hong_Kongg"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"start_date": "2019-02-30"}, "start_date"),
        ({"start_date": "04/03/2019"}, "start_date"),
        ({"end_date": "2019-03-01"}, "end_date"),
        ({"start_time": "9h"}, "start_time"),
        ({"end_time": "08:00"}, "end_time"),
        ({"delivery": "online"}, "delivery"),
        ({"status": "draft"}, "status"),
        ({"country": "XX"}, "country"),
        ({"participant_countries": "HK;ZZ"}, "participant_countries"),
        ({"participants": "about 40"}, "participants"),
        ({"course_code": "NEW-1", "course_title": ""}, "course_title"),
        ({"reference": ""}, "reference"),
        (
            {"country": "", "participant_agencies": "Unknown Agency", "delivery": "remote"},
            "participant_agencies",
        ),
    ],
)
def test_an_invalid_row_writes_nothing_and_names_its_row_and_column(vai, values, column):
    good = row(reference="2019-HK-000")
    bad = row(reference="2019-HK-999", **{k: v for k, v in values.items() if k != "reference"})
    if "reference" in values:
        bad["reference"] = values["reference"]
    with pytest.raises(ImportRefused) as refused:
        run(good, bad)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, column)]
    assert TrainingSession.objects.count() == 0
    assert not CoursePage.objects.filter(code="NEW-1").exists()


def test_a_reference_twice_in_one_file_is_refused(vai):
    with pytest.raises(ImportRefused) as refused:
        run(row(), row())
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "reference")]


def test_a_missing_column_is_named(vai):
    data = b"reference,course_code\n2019-HK-001,VAI-101\n"
    with pytest.raises(ImportRefused) as refused:
        import_history(data=data, filename="history.csv")
    assert ("timezone", 1) in {(e.column, e.row) for e in refused.value.errors}


def test_the_command_imports_and_a_dry_run_writes_nothing(vai, tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(row(), row(reference="2019-HK-002")))
    out = io.StringIO()
    call_command("import_sessions", str(path), "--dry-run", stdout=out)
    assert "2019-HK-001: would be created" in out.getvalue()
    assert "2 would be created, 0 would be updated, 0 unchanged" in out.getvalue()
    assert TrainingSession.objects.count() == 0

    call_command("import_sessions", str(path), stdout=io.StringIO())
    assert TrainingSession.objects.count() == 2
    path.write_bytes(csv_bytes(row(city="Kowloon"), row(reference="2019-HK-002")))
    out = io.StringIO()
    call_command("import_sessions", str(path), "--dry-run", stdout=out)
    assert "0 would be created, 1 would be updated, 1 unchanged" in out.getvalue()
    assert TrainingSession.objects.get(reference="2019-HK-001").city == "Hong Kong"


def test_the_command_exits_non_zero_naming_row_and_column(vai, tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(row(), row(reference="2019-HK-002", delivery="by post")))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_sessions", str(path), stderr=err)
    assert "Row 3, column delivery" in err.getvalue()
    assert TrainingSession.objects.count() == 0


def test_the_sample_history_file_imports():
    from django.conf import settings

    for code in ("VAI-101", "BCT-210", "SCM-220", "RWL-230"):
        factories.course(code=code)
    out = io.StringIO()
    call_command(
        "import_sessions", str(settings.BASE_DIR / "docs" / "sample-history.csv"), stdout=out
    )
    assert "5 created" in out.getvalue()
    report = year_report(2021)
    assert report["sessions"]["delivered"] == 4
    assert report["sessions"]["cancelled"] == 1
    assert report["participants"] == 42 + 35 + 60 + 18


def test_a_csv_with_a_nul_character_is_refused_as_not_text(vai):
    # PostgreSQL refuses NUL in text; the upload check stops such a file before any row is read.
    with pytest.raises(ImportRefused) as refused:
        run(row(city="Hong\x00Kong"))
    assert [(e.row, e.column) for e in refused.value.errors] == [(1, "file")]
    assert not TrainingSession.objects.exists()
