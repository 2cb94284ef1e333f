"""Roster import: a CSV or XLSX with columns e-mail, name, agency and one column per session
day (headed with the day's date, YYYY-MM-DD) holding present, late, excused, absent or nothing.

read_table() reads the file, check_rows() turns it into a plan and row-level errors (nothing is
written), apply_plan() writes the plan all at once or not at all. The attendance sheet export
writes exactly this layout, so an exported sheet re-imports unchanged.

The agency column matters for people the file brings in (an e-mail Muster does not know): their
new profile gets that agency. It is matched to an existing agency by name, acronym or the
"Name (ACRONYM)" the exports write, ignoring case and spaces as the history import does. An
unknown name is a row error: unlike the history import (past headcounts, entered by a lead), a
roster import never creates agencies, because an agency is trusted data (its e-mail domains
verify officers) that only programme leads create after checking it, and the importing trainer
may not create agencies at all. A known person's agency is left as it is.
"""

import csv
import functools
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from attendees.models import Agency
from muster.exports import unneutralise
from muster.uploads import check_upload
from pagecache import versions as pagecache_versions

from .models import Attendance, Registration, TrainingSession

# A large course's whole history of rosters; the import runs on the worker (jobs app).
MAX_ROWS = 10_000
EMAIL_HEADERS = {"e-mail", "email", "e-mail address", "email address"}
NAME_HEADERS = {"name", "full name"}
AGENCY_HEADERS = {"agency"}


@functools.cache
def _headings():
    """{lower-cased heading: column} in English and in every language offered: the attendance
    export writes its headings in the exporter's language, and a trainer working in Thai must
    be able to import that sheet, or one a colleague exported in French, unchanged."""
    from django.conf import settings
    from django.utils import translation

    headings = dict.fromkeys(EMAIL_HEADERS, "email")
    headings.update(dict.fromkeys(NAME_HEADERS, "name"))
    headings.update(dict.fromkeys(AGENCY_HEADERS, "agency"))
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            # The same msgids sessions/exports.py writes.
            headings.setdefault(_("E-mail").strip().lower(), "email")
            headings.setdefault(_("Name").strip().lower(), "name")
            headings.setdefault(_("Agency").strip().lower(), "agency")
    return headings


def read_table(upload):
    """Header and rows (lists of strings) from an uploaded .csv or .xlsx."""
    name = (upload.name or "").lower()
    if name.endswith((".xlsx", ".csv")):
        check_upload(upload, name)
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise ValidationError(_("This is not a readable XLSX file.")) from error
        rows = [
            ["" if value is None else unneutralise(str(value).strip()) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    elif name.endswith(".csv"):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("Save the CSV file as UTF-8 and upload it again.")) from error
        rows = [
            [unneutralise(cell.strip()) for cell in row] for row in csv.reader(io.StringIO(text))
        ]
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ValidationError(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    return rows[0], rows[1:]


def check_rows(session, header, rows):
    """(plan, errors). The plan is JSON-able (kept in the user's session between preview and
    confirm); each error names the row (as numbered in the spreadsheet) and the column."""
    errors = []
    days = {day.date.isoformat(): day for day in session.days.all()}
    lowered = [h.strip().lower() for h in header]
    columns = {}
    day_columns = []
    headings = _headings()
    for index, heading in enumerate(lowered):
        if heading in headings:
            columns[headings[heading]] = index
        elif heading[:10] in days:
            day_columns.append((index, header[index], heading[:10]))
        elif heading:
            errors.append(
                _("Column “%(column)s”: not a day of this session (use YYYY-MM-DD).")
                % {"column": header[index]}
            )
    if "email" not in columns:
        errors.append(_("The file needs an “E-mail” column."))
    if errors:
        return [], errors
    agencies = _agencies_by_key() if "agency" in columns else {}
    known_emails = _known_emails(
        [row[columns["email"]] for row in rows if len(row) > columns["email"]]
    )
    plan = []
    seen = set()
    valid_statuses = {value: value for value in Attendance.Status.values}
    valid_statuses.update({str(label).lower(): value for value, label in Attendance.Status.choices})
    for number, row in enumerate(rows, start=2):
        cell = [*row, *[""] * (len(header) - len(row))].__getitem__
        email = cell(columns["email"]).strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Row %(row)d, column “%(column)s”: “%(value)s” is not an e-mail address.")
                % {"row": number, "column": header[columns["email"]], "value": email}
            )
            continue
        if email in seen:
            errors.append(
                _("Row %(row)d: %(email)s appears twice.") % {"row": number, "email": email}
            )
            continue
        seen.add(email)
        marks = {}
        for index, heading, date in day_columns:
            value = cell(index).strip().lower()
            if not value:
                continue
            if value not in valid_statuses:
                errors.append(
                    _(
                        "Row %(row)d, column “%(column)s”: “%(value)s” is not present, late, "
                        "excused or absent."
                    )
                    % {"row": number, "column": heading, "value": cell(index)}
                )
                continue
            marks[date] = valid_statuses[value]
        agency_name = cell(columns["agency"]).strip() if "agency" in columns else ""
        agency_id = None
        if agency_name and email not in known_emails:
            matches = agencies.get(name_key(agency_name), set())
            if len(matches) != 1:
                errors.append(
                    (
                        _(
                            "Row %(row)d, column “%(column)s”: “%(value)s” is not an agency in "
                            "Muster; ask a programme lead to add it, or leave the cell empty."
                        )
                        if not matches
                        else _(
                            "Row %(row)d, column “%(column)s”: “%(value)s” matches several "
                            "agencies; write the full name as in the roster export."
                        )
                    )
                    % {"row": number, "column": header[columns["agency"]], "value": agency_name}
                )
                continue
            (agency_id,) = matches
        name = cell(columns["name"]).strip() if "name" in columns else ""
        first, _sep, last = name.partition(" ")
        plan.append(
            {
                "row": number,
                "email": email,
                "first_name": first,
                "last_name": last,
                "agency": agency_name,
                "agency_id": agency_id,
                "marks": marks,
            }
        )
    return plan, errors


def name_key(name):
    """Case and spacing do not tell agencies apart (the history import's rule)."""
    return " ".join(name.split()).casefold()


def _agencies_by_key():
    """{key: {agency ids}} by name, acronym and "Name (ACRONYM)" (how the exports write it)."""
    keys = {}
    for agency in Agency.objects.only("pk", "name", "acronym"):
        for text in {agency.name, agency.acronym, str(agency)}:
            if text:
                keys.setdefault(name_key(text), set()).add(agency.pk)
    return keys


def _known_emails(emails):
    """The lower-cased e-mails, among these, of people Muster already knows."""
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Lower

    wanted = {email.strip().lower() for email in emails if email.strip()}
    return set(
        get_user_model()
        .objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=wanted)
        .values_list("lower_email", flat=True)
    )


CHUNK = 500


@transaction.atomic
def apply_plan(*, session, plan, acting_user, progress=None):
    """Write a checked plan: every person registered (confirmed) and every mark recorded, or
    nothing if anything fails. Marks equal to what is stored are left alone, so re-importing
    the same file changes nothing. Returns (registrations added, marks written).

    The same writes as attendees.services.officer_for_email, registration and
    attendance.services.record_attendance one row at a time (the audit entries and the
    participated flag too), done with bulk queries a chunk of rows at a time, so 10,000 rows take
    seconds; `progress(rows_done)` is called after each chunk."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    days = {day.date.isoformat(): day for day in session.days.all()}
    added = written = 0
    for start in range(0, len(plan), CHUNK):
        chunk = plan[start : start + CHUNK]
        a, w = _apply_chunk(session, days, chunk, acting_user)
        added += a
        written += w
        if progress is not None:
            progress(start + len(chunk))
    return added, written


def _apply_chunk(session, days, chunk, acting_user):
    from django.utils import timezone

    from attendees.services import officers_for_emails
    from audit.models import AuditEntry
    from audit.services import record_many

    from .attendance.services import refresh_participated

    people = officers_for_emails(rows=chunk, acting_user=acting_user)
    now = timezone.now()
    registrations = {
        r.officer_id: r
        for r in Registration.objects.filter(session=session, officer__in=people.values())
    }
    not_confirmed = [r for r in registrations.values() if r.status != Registration.Status.CONFIRMED]
    Registration.objects.filter(pk__in=[r.pk for r in not_confirmed]).update(
        status=Registration.Status.CONFIRMED
    )
    new = Registration.objects.bulk_create(
        Registration(session=session, officer=person, status=Registration.Status.CONFIRMED)
        for person in people.values()
        if person.pk not in registrations
    )
    added = len(not_confirmed) + len(new)
    # update() and bulk_create() send no signal: seats left changed on the public pages.
    pagecache_versions.bump()
    confirmed = Registration.Status.CONFIRMED.value
    # The audit labels, built once per person and status instead of str() per row (what
    # Registration.__str__ and Attendance.__str__ give).
    people_by_pk = {person.pk: person for person in people.values()}
    labels = {pk: f"{person} · {session.reference}" for pk, person in people_by_pk.items()}
    status_labels = {value: str(label) for value, label in Attendance.Status.choices}
    imported = {"status": confirmed, "source": "import"}
    record_many(
        actor=acting_user,
        action=AuditEntry.Action.REGISTRATION_CREATED,
        items=[
            (r, people_by_pk[r.officer_id], {"status": r.status}, imported, labels[r.officer_id])
            for r in not_confirmed
        ]
        + [(r, people_by_pk[r.officer_id], None, imported, labels[r.officer_id]) for r in new],
    )
    for registration in new:
        registrations[registration.officer_id] = registration
    stored = {
        (a.registration_id, a.day_id): a
        for a in Attendance.objects.filter(registration__in=[r.pk for r in registrations.values()])
    }
    created, changed, recorded_audit, changed_audit = [], [], [], []
    recorded_by = getattr(acting_user, "pk", None)
    for entry in chunk:
        person = people[entry["email"]]
        registration = registrations[person.pk]
        for date, status in entry["marks"].items():
            day = days[date]
            after = {"day": date, "status": status, "method": Attendance.Method.IMPORT.value}
            label = f"{labels[person.pk]} · {day.date}: {status_labels.get(status, status)}"
            previous = stored.get((registration.pk, day.pk))
            if previous is not None and previous.status == status:
                continue
            if previous is None:
                attendance = Attendance(
                    registration_id=registration.pk,
                    day_id=day.pk,
                    status=status,
                    method=Attendance.Method.IMPORT,
                    recorded_by_id=recorded_by,
                    recorded_at=now,
                )
                created.append(attendance)
                recorded_audit.append((attendance, person, None, after, label))
            else:
                before = {"day": date, "status": previous.status, "method": previous.method}
                previous.status, previous.method = status, Attendance.Method.IMPORT
                previous.recorded_by, previous.recorded_at = acting_user, now
                changed.append(previous)
                changed_audit.append((previous, person, before, after, label))
    Attendance.objects.bulk_create(created)
    Attendance.objects.bulk_update(
        changed, ["status", "method", "recorded_by", "recorded_at"], batch_size=CHUNK
    )
    record_many(
        actor=acting_user, action=AuditEntry.Action.ATTENDANCE_RECORDED, items=recorded_audit
    )
    record_many(actor=acting_user, action=AuditEntry.Action.ATTENDANCE_CHANGED, items=changed_audit)
    refresh_participated([r.pk for r in registrations.values()])
    return added, len(created) + len(changed)


def run_job(job, progress):
    """The "roster" kind of jobs.ImportJob: apply the plan confirmed on the preview page."""
    session = TrainingSession.objects.filter(pk=job.payload["session_id"]).first()
    if session is None:
        from jobs.registry import ImportFailed

        raise ImportFailed([_("The session was deleted before the import ran.")])
    added, written = apply_plan(
        session=session, plan=job.payload["plan"], acting_user=job.started_by, progress=progress
    )
    return {"registrations_added": added, "marks_written": written}
