"""Reading and checking a spreadsheet of past sessions before anything is written.

`read_table` turns a CSV (UTF-8, header row) or XLSX file into rows of text; `plan_import`
checks every row and works out what importing it would do (create, update or leave unchanged
each session, by reference). `reports.services.import_history` writes a plan that has no
errors, in one transaction, so an import is all or nothing.

Row numbers are the spreadsheet's own: the header is row 1, the first session row 2.
"""

import csv
import datetime
import io
import re
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from attendees.models import Agency, Jurisdiction
from courses.models import CoursePage
from courses.translation import in_source_language
from muster.uploads import check_bytes
from sessions.models import Attendance, TrainingSession

COLUMNS = [
    "reference",
    "course_code",
    "course_title",
    "start_date",
    "end_date",
    "start_time",
    "end_time",
    "timezone",
    "delivery",
    "status",
    "city",
    "country",
    "host_agency",
    "participants",
    "participant_agencies",
    "participant_countries",
]
REQUIRED_COLUMNS = ["reference", "course_code", "start_date", "start_time", "end_time", "timezone"]
REQUIRED_COLUMNS += ["delivery", "status"]
STATUSES = [
    TrainingSession.Status.DELIVERED,
    TrainingSession.Status.SCHEDULED,
    TrainingSession.Status.CANCELLED,
]
DELIVERIES = [choice.value for choice in TrainingSession.Delivery]
# A history row is one workshop or course: a longer span is a typing mistake in a date.
MAX_DAYS = 31
MAX_ROWS = 20_000
CANCELLED_REASON = "Recorded as cancelled in the imported history."

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


class HistoryFileError(Exception):
    """The file cannot be read at all (not CSV/XLSX, not UTF-8, no header)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class PlannedSession:
    """One valid row: the session it describes and what importing it would do."""

    row: int
    reference: str
    course_code: str
    course_title: str
    time_zone: str
    delivery: str
    status: str
    city: str
    country: str
    host_agency: str  # a name ("" for none), resolved through Plan.agencies
    days: list  # [(date, start time, end time)] in local time
    participants: int | None
    # [(agency name key or None, jurisdiction code or None, count)]: see headcounts_for().
    headcounts: list
    action: str = ""  # "create", "update" or "unchanged"
    session: TrainingSession | None = None


@dataclass
class Plan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    # Agencies by name key (casefolded, stripped): existing Agency, or (name, country) to create.
    agencies: dict = field(default_factory=dict)
    new_courses: dict = field(default_factory=dict)  # code -> title

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def summary(self):
        return {action: self.count(action) for action in ("create", "update", "unchanged")}


def name_key(name):
    """Agency names match ignoring case and surrounding spaces."""
    return " ".join(name.split()).casefold()


# --- Reading ----------------------------------------------------------------------------------


def read_table(data, filename):
    """[(row number, {column: text})] from CSV or XLSX bytes; blank rows are skipped."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in ("xlsx", "csv"):
        try:
            check_bytes(data, filename)
        except ValidationError as error:
            raise HistoryFileError(" ".join(error.messages)) from None
    if suffix == "xlsx":
        header, body = _read_xlsx(data)
    elif suffix == "csv":
        header, body = _read_csv(data)
    else:
        raise HistoryFileError(_("The file must be a .csv or .xlsx spreadsheet."))
    columns = [str(cell or "").strip().lower() for cell in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    unknown = [c for c in columns if c and c not in COLUMNS]
    problems = [RowError(1, c, _("this column is missing from the header row.")) for c in missing]
    problems += [RowError(1, c, _("this column is not one Muster knows.")) for c in unknown]
    if problems:
        return [], problems
    rows = []
    for number, cells in body:
        values = {
            column: _text(cells[i]) if i < len(cells) else ""
            for i, column in enumerate(columns)
            if column
        }
        if any(values.values()):
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise HistoryFileError(_("A file may hold at most %(n)s sessions.") % {"n": MAX_ROWS})
    return rows, []


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise HistoryFileError(_("The CSV file is not UTF-8 text.")) from error
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines:
        raise HistoryFileError(_("The file is empty: it needs a header row."))
    return lines[0], list(enumerate(lines[1:], start=2))


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise HistoryFileError(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    workbook.close()
    if not lines:
        raise HistoryFileError(_("The file is empty: it needs a header row."))
    return lines[0], list(enumerate(lines[1:], start=2))


def _text(value):
    """A cell as the text a CSV would hold: spreadsheets turn dates, times and numbers into
    typed cells, which we write back the way the format asks for them."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- Checking and planning --------------------------------------------------------------------


def plan_import(rows, *, file_errors=()):
    """Check every row and work out what importing it would change. Reads only."""
    plan = Plan(errors=list(file_errors))
    countries = set(
        Jurisdiction.objects.filter(kind=Jurisdiction.Kind.COUNTRY).values_list("code", flat=True)
    )
    zones = zoneinfo.available_timezones()
    courses = {
        c.code: c for c in in_source_language(CoursePage.objects.all()).only("id", "code", "title")
    }
    agencies_by_key = {}
    for agency in Agency.objects.select_related("jurisdiction").order_by("pk"):
        agencies_by_key.setdefault(name_key(agency.name), []).append(agency)
    seen = {}
    for number, values in rows:
        errors = []

        def error(column, message, errors=errors, number=number):
            errors.append(RowError(number, column, message))

        reference = values.get("reference", "")
        if not reference:
            error("reference", _("a reference is required."))
        elif len(reference) > 32:
            error("reference", _("at most 32 characters."))
        elif reference in seen:
            error(
                "reference",
                _("%(ref)s is also on row %(row)s.") % {"ref": reference, "row": seen[reference]},
            )
        else:
            seen[reference] = number

        code = values.get("course_code", "")
        title = values.get("course_title", "")
        if not code:
            error("course_code", _("a course code is required."))
        elif len(code) > 20:
            error("course_code", _("at most 20 characters."))
        elif code not in courses and code not in plan.new_courses:
            if not title:
                error("course_title", _("course %(code)s is new: give its title.") % {"code": code})
            elif len(title) > 255:
                error("course_title", _("at most 255 characters."))
            else:
                plan.new_courses[code] = title

        start = _date(values.get("start_date", ""), "start_date", error, required=True)
        end = _date(values.get("end_date", ""), "end_date", error) or start
        if start and end:
            if end < start:
                error("end_date", _("the session ends before it starts."))
            elif (end - start).days >= MAX_DAYS:
                error("end_date", _("a session lasts at most %(n)s days.") % {"n": MAX_DAYS})
        start_time = _time(values.get("start_time", ""), "start_time", error)
        end_time = _time(values.get("end_time", ""), "end_time", error)
        if start_time and end_time and end_time <= start_time:
            error("end_time", _("a day must end after it starts."))

        time_zone = values.get("timezone", "")
        if not time_zone:
            error("timezone", _("a time zone is required (an IANA name such as Asia/Hong_Kong)."))
        elif time_zone not in zones:
            error("timezone", _("%(value)s is not an IANA time zone.") % {"value": time_zone})

        delivery = values.get("delivery", "").lower()
        if delivery not in DELIVERIES:
            error("delivery", _("must be one of %(choices)s.") % {"choices": ", ".join(DELIVERIES)})
        status = values.get("status", "").lower()
        if status not in STATUSES:
            error("status", _("must be one of %(choices)s.") % {"choices": ", ".join(STATUSES)})

        city = values.get("city", "")
        if len(city) > 100:
            error("city", _("at most 100 characters."))
        country = values.get("country", "").upper()
        if country and country not in countries:
            error(
                "country",
                _("%(value)s is not an ISO 3166-1 alpha-2 country code.") % {"value": country},
            )
            country = ""
        participant_countries = []
        for item in _split(values.get("participant_countries", "")):
            item = item.upper()
            if item not in countries:
                error(
                    "participant_countries",
                    _("%(value)s is not an ISO 3166-1 alpha-2 country code.") % {"value": item},
                )
            elif item not in participant_countries:
                participant_countries.append(item)

        participants = None
        raw = values.get("participants", "")
        if raw:
            if not raw.isdigit():
                error("participants", _("must be a whole number of people."))
            else:
                participants = int(raw)

        # Where a new agency goes: the session's country, else the first participant country.
        home = country or (participant_countries[0] if participant_countries else "")
        agency_keys = []
        for column, names in (
            ("host_agency", [values.get("host_agency", "")] if values.get("host_agency") else []),
            ("participant_agencies", _split(values.get("participant_agencies", ""))),
        ):
            for name in names:
                key = name_key(name)
                if len(name) > 200:
                    error(column, _("an agency name has at most 200 characters."))
                    continue
                if key not in plan.agencies:
                    known = agencies_by_key.get(key)
                    if known:
                        plan.agencies[key] = _closest(known, [country, *participant_countries])
                    elif home:
                        plan.agencies[key] = (" ".join(name.split()), home)
                    else:
                        error(
                            column,
                            _(
                                "%(name)s is a new agency: give the session a country or "
                                "participant_countries so Muster knows where it is."
                            )
                            % {"name": name},
                        )
                        continue
                if column == "participant_agencies" and key not in agency_keys:
                    agency_keys.append(key)

        headcounts = headcounts_for(participants, agency_keys, participant_countries, country)
        if participants is not None and not headcounts:
            error(
                "participants",
                _("say who they were: participant_agencies, participant_countries or country."),
            )

        if errors:
            plan.errors.extend(errors)
            continue
        days = [
            (start + datetime.timedelta(days=i), start_time, end_time)
            for i in range((end - start).days + 1)
        ]
        plan.rows.append(
            PlannedSession(
                row=number,
                reference=reference,
                course_code=code,
                course_title=title,
                time_zone=time_zone,
                delivery=delivery,
                status=status,
                city=city,
                country=country,
                host_agency=name_key(values.get("host_agency", "")),
                days=days,
                participants=participants,
                headcounts=headcounts,
            )
        )
    _compare_with_database(plan, courses)
    return plan


def headcounts_for(participants, agency_keys, countries, session_country):
    """How a row's `participants` becomes Headcount rows (each names one agency or one
    jurisdiction, and the reports count every agency and country named):

    - the whole number goes on the first participant agency, else the first participant
      country, else the session's country — so the participants figure stays exact;
    - every other agency and country listed gets a headcount of 0: it marks who was reached
      without inventing how many came from each;
    - with `participants` empty, every agency and country listed gets 0.
    """
    rows = [(key, None, 0) for key in agency_keys]
    rows += [(None, code, 0) for code in countries]
    if participants is not None and not rows and session_country:
        rows = [(None, session_country, 0)]
    if participants is not None and rows:
        key, code, _zero = rows[0]
        rows[0] = (key, code, participants)
    return rows


def _closest(agencies, countries):
    """Among agencies of one name, the one in the row's countries, else the oldest."""
    for agency in agencies:
        if agency.jurisdiction.country_code in countries:
            return agency
    return agencies[0]


def _split(value):
    return [item.strip() for item in value.split(";") if item.strip()]


def _date(value, column, error, required=False):
    if not value:
        if required:
            error(column, _("a date is required (YYYY-MM-DD)."))
        return None
    try:
        if not DATE_RE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        error(column, _("%(value)s is not a date in the form YYYY-MM-DD.") % {"value": value})
        return None


def _time(value, column, error):
    match = TIME_RE.match(value)
    if not value:
        error(column, _("a time is required (HH:MM)."))
    elif match and int(match[1]) < 24 and int(match[2]) < 60:
        return datetime.time(int(match[1]), int(match[2]))
    else:
        error(column, _("%(value)s is not a time in the form HH:MM.") % {"value": value})
    return None


def _compare_with_database(plan, courses):
    """Mark each valid row create / update / unchanged, and refuse updates that would delete a
    day someone's attendance was recorded on (the attendance is the programme's history)."""
    existing = {
        s.reference: s
        for s in TrainingSession.objects.filter(reference__in=[row.reference for row in plan.rows])
        .select_related("course", "host_agency")
        .prefetch_related("days", "headcounts__agency", "headcounts__jurisdiction")
    }
    attended_days = set(
        Attendance.objects.filter(day__session__reference__in=list(existing)).values_list(
            "day__session__reference", "day__date"
        )
    )
    for row in plan.rows:
        session = existing.get(row.reference)
        row.session = session
        if session is None:
            row.action = "create"
            continue
        wanted_dates = {date for date, _s, _e in row.days}
        dropped = sorted(
            date for ref, date in attended_days if ref == row.reference and date not in wanted_dates
        )
        if dropped:
            plan.errors.append(
                RowError(
                    row.row,
                    "start_date",
                    _("%(ref)s has attendance recorded on %(dates)s: those days cannot go.")
                    % {"ref": row.reference, "dates": ", ".join(d.isoformat() for d in dropped)},
                )
            )
        row.action = "unchanged" if _same(row, session, plan) else "update"
    plan.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))


def _same(row, session, plan):
    host = plan.agencies.get(row.host_agency) if row.host_agency else None
    if host is not None and not isinstance(host, Agency):
        return False
    fields_now = (
        session.course.code,
        session.time_zone,
        session.delivery,
        session.status,
        session.city,
        session.country,
        session.host_agency_id,
    )
    fields_wanted = (
        row.course_code,
        row.time_zone,
        row.delivery,
        row.status,
        row.city,
        row.country,
        host.pk if host else None,
    )
    if fields_now != fields_wanted:
        return False
    days_now = {(d.date, d.start_time, d.end_time) for d in session.days.all()}
    if days_now != set(row.days):
        return False
    heads_now = {
        (h.agency_id, h.jurisdiction.code if h.jurisdiction_id else None, h.count)
        for h in session.headcounts.all()
    }
    heads_wanted = set()
    for key, code, count in row.headcounts:
        agency = plan.agencies.get(key) if key else None
        if key and not isinstance(agency, Agency):
            return False  # a new agency: certainly a change
        heads_wanted.add((agency.pk if agency else None, code, count))
    return heads_now == heads_wanted
