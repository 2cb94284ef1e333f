"""Roster import: preview with row-level errors, all-or-nothing writes, idempotent re-import."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from sessions.models import Attendance, Registration
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "E-mail,Name,Agency,2030-03-04,2030-03-05\n"


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
    factories.agency(name="HKPF")
    return s, trainer


def url(s):
    return reverse("training_sessions:roster_import", args=[s.reference])


def confirm(client, s):
    """Confirm the preview; the import job it queues runs once the request's work commits
    (the test settings' tasks run at once)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url(s), {"action": "confirm"})


def csv_file(text, name="roster.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def state():
    return (
        sorted(Registration.objects.values_list("officer__email", "status")),
        sorted(
            Attendance.objects.values_list(
                "registration__officer__email", "day__date", "status", "recorded_at"
            )
        ),
    )


def test_import_permissions(client, setup):
    s, _trainer = setup
    assert "/accounts/login/" in client.get(url(s))["Location"]
    for outsider in (factories.officer(), factories.trainer()):
        client.force_login(outsider)
        assert client.get(url(s)).status_code == 404


def test_a_file_with_one_bad_row_writes_nothing_and_names_row_and_column(client, setup):
    s, trainer = setup
    known = factories.officer()
    client.force_login(trainer)
    body = (
        HEADER
        + f"{known.email},Known One,HKPF,present,late\n"
        + "new@x.example,New Person,HKPF,present,sometimes\n"
    )
    response = client.post(url(s), {"file": csv_file(body)})
    errors = response.context["errors"]
    assert errors == [
        "Row 3, column “2030-03-05”: “sometimes” is not present, late, excused or absent."
    ]
    response = confirm(client, s)
    assert not Registration.objects.exists() and not Attendance.objects.exists()


def test_preview_then_confirm_writes_everything_and_reimport_changes_nothing(client, setup):
    s, trainer = setup
    known = factories.officer()
    client.force_login(trainer)
    body = (
        HEADER
        + f"{known.email},Known One,HKPF,present,late\nnew@x.example,New Person,HKPF,,absent\n"
    )
    response = client.post(url(s), {"file": csv_file(body)})
    assert response.context["errors"] == [] and len(response.context["plan"]) == 2
    assert not Registration.objects.exists()  # the preview writes nothing
    confirm(client, s)
    assert Registration.objects.filter(session=s, status="confirmed").count() == 2
    marks = sorted(
        Attendance.objects.values_list(
            "registration__officer__email", "day__date", "status", "method"
        )
    )
    assert marks == sorted(
        [
            (known.email, datetime.date(2030, 3, 4), "present", "import"),
            (known.email, datetime.date(2030, 3, 5), "late", "import"),
            ("new@x.example", datetime.date(2030, 3, 5), "absent", "import"),
        ]
    )
    before = state()
    client.post(url(s), {"file": csv_file(body)})
    confirm(client, s)
    assert state() == before


def test_xlsx_and_unknown_columns(client, setup):
    s, trainer = setup
    client.force_login(trainer)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", "Name", "Agency", "2030-03-04", "2031-01-01"])
    sheet.append(["a@x.example", "A B", "", "present", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    response = client.post(url(s), {"file": upload})
    assert response.context["errors"] == [
        "Column “2031-01-01”: not a day of this session (use YYYY-MM-DD)."
    ]
    response = client.post(url(s), {"file": csv_file("x", name="roster.pdf")})
    assert response.context["errors"] == ["Upload a .csv or .xlsx file."]


def test_confirm_without_preview_writes_nothing(client, setup):
    s, trainer = setup
    client.force_login(trainer)
    response = confirm(client, s)
    assert response.status_code == 302 and not Registration.objects.exists()


def test_a_new_person_gets_the_agency_named_in_the_file_matched_ignoring_case_and_spaces(
    client, setup
):
    from attendees.models import Agency, Jurisdiction, OfficerProfile

    s, trainer = setup
    tnp = Agency.objects.create(
        name="Royal Thai Police",
        acronym="RTP",
        type="police",
        jurisdiction=Jurisdiction.objects.get(code="TH"),
    )
    known = factories.officer()
    known_agency = known.officer_profile.agency
    client.force_login(trainer)
    body = (
        HEADER
        + "one@x.example,One A,  royal   THAI police ,present,\n"
        + "two@x.example,Two B,rtp,,\n"
        + "three@x.example,Three C,Royal Thai Police (RTP),,\n"
        + "four@x.example,Four D,,,\n"
        + f"{known.email},Known K,Royal Thai Police,,\n"
    )
    response = client.post(url(s), {"file": csv_file(body)})
    assert response.context["errors"] == []
    confirm(client, s)
    agencies = dict(OfficerProfile.objects.values_list("user__email", "agency_id"))
    assert agencies["one@x.example"] == agencies["two@x.example"] == tnp.pk
    assert agencies["three@x.example"] == tnp.pk
    assert agencies["four@x.example"] is None
    # A known person's agency is theirs and the leads' to change, not a spreadsheet's.
    assert agencies[known.email] == known_agency.pk
    assert OfficerProfile.objects.get(user__email="one@x.example").verification == "pending"


def test_an_unknown_agency_is_a_row_error_and_no_agency_is_created(client, setup):
    from attendees.models import Agency

    s, trainer = setup
    client.force_login(trainer)
    agencies_before = Agency.objects.count()
    body = HEADER + "ok@x.example,Ok,HKPF,,\nnew@x.example,New Person,Atlantis Police,present,\n"
    response = client.post(url(s), {"file": csv_file(body)})
    assert response.context["errors"] == [
        "Row 3, column “Agency”: “Atlantis Police” is not an agency in Muster; ask a programme "
        "lead to add it, or leave the cell empty."
    ]
    confirm(client, s)
    assert not Registration.objects.exists()
    assert Agency.objects.count() == agencies_before


def test_a_csv_with_a_nul_character_is_refused_as_not_text(client, setup):
    # PostgreSQL refuses NUL in text; the upload check stops such a file before any row is read.
    s, trainer = setup
    client.force_login(trainer)
    body = HEADER + "new@x.example,New\x00Person,HKPF,present,\n"
    response = client.post(url(s), {"file": csv_file(body)})
    assert response.status_code == 200
    assert "The content of this file is not a .csv file" in response.content.decode()
    assert not Registration.objects.exists()


def _plan(s, rows, *, start=0, known=0):
    """A checked plan of `rows` people (the first `known` of them known already), each with a
    mark on both days, as the preview hands it to the import job."""
    from sessions import imports

    text = HEADER
    for i in range(start, start + rows):
        email = f"person{i}@plan.example"
        if i - start < known:
            factories.officer(email=email)
        text += f"{email},Person{i} Tester,HKPF,present,{'late' if i % 2 else 'absent'}\n"
    plan, errors = imports.check_rows(s, *imports.read_table(csv_file(text)))
    assert not errors
    return plan


def _queries_to_apply(s, trainer, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sessions import imports

    with CaptureQueriesContext(connection) as queries:
        imports.apply_plan(session=s, plan=plan, acting_user=trainer)
    return len(queries.captured_queries)


def test_the_imports_queries_do_not_grow_with_its_rows(setup):
    # Within one chunk (sessions.imports.CHUNK rows) the count is the same for 4 rows as for
    # 60, new and known people alike; each further chunk adds the same few.
    s, trainer = setup
    few = _queries_to_apply(s, trainer, _plan(s, 4, known=2))
    many = _queries_to_apply(s, trainer, _plan(s, 60, start=100, known=30))
    assert few == many
    assert few < 40


def test_the_bulk_import_writes_the_same_audit_entries_as_one_at_a_time(setup):
    from audit.models import AuditEntry
    from sessions import imports

    s, trainer = setup
    plan = _plan(s, 2, known=1)
    imports.apply_plan(session=s, plan=plan, acting_user=trainer)
    marks = Attendance.objects.select_related("registration__officer", "day")
    expected = {str(mark) for mark in marks}
    recorded = AuditEntry.objects.filter(action=AuditEntry.Action.ATTENDANCE_RECORDED)
    assert {e.target_label for e in recorded} == expected
    assert {e.subject_id for e in recorded} == {m.registration.officer_id for m in marks}
    assert {e.actor_id for e in recorded} == {trainer.pk}
    registrations = Registration.objects.select_related("officer", "session")
    created = AuditEntry.objects.filter(action=AuditEntry.Action.REGISTRATION_CREATED)
    assert {e.target_label for e in created} == {str(r) for r in registrations}
    # The flag follows the marks: present on the first day, so both took part.
    assert all(r.participated for r in registrations)
