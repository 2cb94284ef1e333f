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
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from attendees.models import Agency
from muster.uploads import check_upload

from .models import Attendance, Registration, TrainingSession

MAX_ROWS = 2000
EMAIL_HEADERS = {"e-mail", "email", "e-mail address", "email address"}
NAME_HEADERS = {"name", "full name"}
AGENCY_HEADERS = {"agency"}


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
            ["" if value is None else str(value).strip() for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    elif name.endswith(".csv"):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("Save the CSV file as UTF-8 and upload it again.")) from error
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
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
    for index, heading in enumerate(lowered):
        if heading in EMAIL_HEADERS:
            columns["email"] = index
        elif heading in NAME_HEADERS:
            columns["name"] = index
        elif heading in AGENCY_HEADERS:
            columns["agency"] = index
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


@transaction.atomic
def apply_plan(*, session, plan, acting_user):
    """Write a checked plan: every person registered (confirmed) and every mark recorded, or
    nothing if anything fails. Marks equal to what is stored are left alone, so re-importing
    the same file changes nothing. Returns (registrations added, marks written)."""
    from attendees.services import officer_for_email
    from audit.models import AuditEntry
    from audit.services import record

    from .attendance import services as attendance_services

    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    days = {day.date.isoformat(): day for day in session.days.all()}
    added = written = 0
    for entry in plan:
        agency_id = entry.get("agency_id")
        person = officer_for_email(
            email=entry["email"],
            acting_user=acting_user,
            first_name=entry["first_name"],
            last_name=entry["last_name"],
            # Checked at preview; an agency deleted or merged since then leaves the profile
            # without one rather than failing the import.
            agency=Agency.objects.filter(pk=agency_id).first() if agency_id else None,
        )
        registration = Registration.objects.filter(session=session, officer=person).first()
        if registration is None or registration.status != Registration.Status.CONFIRMED:
            previous = registration.status if registration else None
            registration, _created = Registration.objects.update_or_create(
                session=session,
                officer=person,
                defaults={"status": Registration.Status.CONFIRMED},
            )
            record(
                actor=acting_user,
                action=AuditEntry.Action.REGISTRATION_CREATED,
                target=registration,
                subject=person,
                before=None if previous is None else {"status": previous},
                after={"status": registration.status, "source": "import"},
            )
            added += 1
        stored = {a.day_id: a.status for a in Attendance.objects.filter(registration=registration)}
        for date, status in entry["marks"].items():
            day = days[date]
            if stored.get(day.pk) == status:
                continue
            attendance_services.record_attendance(
                registration=registration,
                day=day,
                status=status,
                method=Attendance.Method.IMPORT,
                acting_user=acting_user,
            )
            written += 1
    return added, written
