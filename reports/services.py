"""Writes the reports app makes: importing the programme's history from a spreadsheet."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from attendees.models import Agency, Jurisdiction
from audit.models import AuditEntry
from audit.services import record
from courses.models import CourseIndexPage, CoursePage
from sessions.models import Headcount, SessionDay, TrainingSession

from .history import CANCELLED_REASON, HistoryFileError, Plan, plan_import, read_table


class ImportRefused(Exception):
    """The file has errors: nothing was written. `errors` lists them (row, column, message)."""

    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class ImportOutcome:
    plan: Plan
    written: bool


def check_file(*, data, filename):
    """Read and check a history file without writing: the plan, with its errors if any."""
    try:
        rows, header_errors = read_table(data, filename)
    except HistoryFileError as error:
        from .history import RowError

        return Plan(errors=[RowError(1, "file", str(error))])
    return plan_import(rows, file_errors=header_errors)


@transaction.atomic
def import_history(*, data, filename, acting_user=None, dry_run=False):
    """Import past sessions from CSV or XLSX bytes, all or nothing.

    Idempotent by reference: a row whose session already matches changes nothing; a changed
    row updates its session (its days and headcounts replaced). Unknown courses become
    unpublished course pages; unknown agencies are created. Raises ImportRefused (and writes
    nothing) when any row is invalid. `acting_user` is who ran it (None from the command line).
    """
    # The check runs inside the transaction, so the plan matches what is written.
    plan = check_file(data=data, filename=filename)
    if plan.errors:
        raise ImportRefused(plan.errors)
    if dry_run:
        return ImportOutcome(plan=plan, written=False)
    courses = _courses(plan)
    agencies = _agencies(plan)
    jurisdictions = dict(
        Jurisdiction.objects.filter(kind=Jurisdiction.Kind.COUNTRY).values_list("code", "pk")
    )
    for row in plan.rows:
        if row.action == "unchanged":
            continue
        _write_session(row, courses[row.course_code], agencies, jurisdictions)
    if plan.summary["create"] or plan.summary["update"]:
        # One entry per import (a file can hold thousands of rows): what and how many.
        record(
            actor=acting_user,
            action=AuditEntry.Action.HISTORY_IMPORTED,
            after={"file": filename, **plan.summary},
            summary=_("%(file)s: %(create)d sessions created, %(update)d updated")
            % {"file": filename, **plan.summary},
        )
    return ImportOutcome(plan=plan, written=True)


def _courses(plan):
    codes = {row.course_code for row in plan.rows}
    courses = {c.code: c for c in CoursePage.objects.filter(code__in=codes)}
    catalogue = CourseIndexPage.objects.first() if plan.new_courses else None
    for code, title in plan.new_courses.items():
        if code in courses:
            continue
        # Unpublished: the course no longer runs, but its past sessions still count.
        page = CoursePage(title=title, code=code, summary=title, live=False)
        catalogue.add_child(instance=page)
        courses[code] = page
    return courses


def _agencies(plan):
    agencies = {}
    codes = {value[1] for value in plan.agencies.values() if not isinstance(value, Agency)}
    homes = {j.code: j for j in Jurisdiction.objects.filter(code__in=codes)}
    for key, value in plan.agencies.items():
        if isinstance(value, Agency):
            agencies[key] = value
        else:
            name, country = value
            agencies[key] = Agency.objects.create(
                name=name, type=Agency.Type.OTHER, jurisdiction=homes[country]
            )
    return agencies


def _write_session(row, course, agencies, jurisdictions):
    fields = {
        "course": course,
        "time_zone": row.time_zone,
        "delivery": row.delivery,
        "status": row.status,
        "city": row.city,
        "country": row.country,
        "host_agency": agencies[row.host_agency] if row.host_agency else None,
    }
    # A fresh, locked row: the planning copy carries prefetched days that refresh_schedule()
    # would otherwise save back after they were deleted.
    session = row.session and TrainingSession.objects.select_for_update().get(pk=row.session.pk)
    if session is None:
        session = TrainingSession(reference=row.reference, notes=_("Imported from history."))
    for name, value in fields.items():
        setattr(session, name, value)
    if row.status == TrainingSession.Status.CANCELLED:
        session.cancellation_reason = session.cancellation_reason or CANCELLED_REASON
    else:
        session.cancellation_reason = ""
    session.save()

    # Days: keep a day whose date stays (its attendance stays with it), drop the others.
    wanted = {date: (start, end) for date, start, end in row.days}
    existing = {day.date: day for day in SessionDay.objects.filter(session=session)}
    SessionDay.objects.filter(session=session).exclude(date__in=list(wanted)).delete()
    for date, (start, end) in wanted.items():
        day = existing.get(date)
        if day is None:
            SessionDay.objects.create(session=session, date=date, start_time=start, end_time=end)
        elif (day.start_time, day.end_time) != (start, end):
            day.start_time, day.end_time = start, end
            day.save()
    session.refresh_schedule()

    # Headcounts are replaced, never added to: a re-import with new numbers corrects them.
    Headcount.objects.filter(session=session).delete()
    Headcount.objects.bulk_create(
        Headcount(
            session=session,
            agency=agencies[key] if key else None,
            jurisdiction_id=jurisdictions[code] if code else None,
            count=count,
        )
        for key, code, count in row.headcounts
    )
