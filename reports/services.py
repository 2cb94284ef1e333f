"""Writes the reports app makes: importing the programme's history from a spreadsheet."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from attendees.models import Agency, Jurisdiction
from audit.models import AuditEntry
from audit.services import record
from courses.models import CourseIndexPage, CoursePage
from courses.translation import in_source_language
from sessions.models import Headcount, SessionDay, TrainingSession, scheduled_minutes

from .history import CANCELLED_REASON, HistoryFileError, Plan, plan_import, read_table

CHUNK = 500


class ImportRefused(Exception):
    """The file has errors: nothing was written. `errors` lists them (row, column, message)."""

    def __init__(self, errors: list[Any]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class ImportOutcome:
    plan: Plan
    written: bool


def check_file(*, data: bytes, filename: str) -> Plan:
    """Read and check a history file without writing: the plan, with its errors if any."""
    try:
        rows, header_errors = read_table(data, filename)
    except HistoryFileError as error:
        from .history import RowError

        return Plan(errors=[RowError(1, "file", str(error))])
    return plan_import(rows, file_errors=header_errors)


@transaction.atomic
def import_history(
    *,
    data: bytes,
    filename: str,
    acting_user: Any = None,
    dry_run: bool = False,
    progress: Any = None,
) -> "ImportOutcome":
    """Import past sessions from CSV or XLSX bytes, all or nothing.

    Idempotent by reference: a row whose session already matches changes nothing; a changed
    row updates its session (its days and headcounts replaced). Unknown courses become
    unpublished course pages; unknown agencies are created. Raises ImportRefused (and writes
    nothing) when any row is invalid. `acting_user` is who ran it (None from the command line).
    `progress(rows_done)`, when given, is told how far the writing has gone.
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
    # New sessions (most of a first import) are written a chunk at a time with bulk queries;
    # changed ones one by one, keeping the days that stay (their attendance stays with them).
    creates = [row for row in plan.rows if row.action == "create"]
    updates = [row for row in plan.rows if row.action == "update"]
    done = len(plan.rows) - len(creates) - len(updates)
    for start in range(0, len(creates), CHUNK):
        chunk = creates[start : start + CHUNK]
        _create_sessions(chunk, courses, agencies, jurisdictions)
        done += len(chunk)
        if progress is not None:
            progress(done)
    for row in updates:
        _write_session(row, courses[row.course_code], agencies, jurisdictions)
        done += 1
        if progress is not None:
            progress(done)
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


def run_job(job: Any, progress: Any) -> dict[str, int]:
    """The "history" kind of jobs.ImportJob: import the file previewed and confirmed (kept in
    the private media storage until now), then forget it."""
    from django.core.files.storage import default_storage

    from jobs.registry import ImportFailed

    path, filename = job.payload["path"], job.payload["filename"]
    if not default_storage.exists(path):
        raise ImportFailed([_("The uploaded file is gone: upload it again.")])
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    try:
        outcome = import_history(
            data=data, filename=filename, acting_user=job.started_by, progress=progress
        )
    except ImportRefused as refused:
        default_storage.delete(path)
        raise ImportFailed(refused.errors) from refused
    transaction.on_commit(lambda: default_storage.delete(path))
    return {"sessions_" + action: n for action, n in outcome.plan.summary.items()}


def _courses(plan: Plan) -> dict[str, CoursePage]:
    codes = {row.course_code for row in plan.rows}
    courses = {c.code: c for c in in_source_language(CoursePage.objects.filter(code__in=codes))}
    catalogue: Any = (
        in_source_language(CourseIndexPage.objects.all()).first() if plan.new_courses else None
    )
    for code, title in plan.new_courses.items():
        if code in courses:
            continue
        # Unpublished: the course no longer runs, but its past sessions still count.
        page = CoursePage(title=title, code=code, summary=title, live=False)
        catalogue.add_child(instance=page)
        courses[code] = page
    return courses


def _agencies(plan: Plan) -> dict[Any, Agency]:
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


def _create_sessions(
    rows: list[Any],
    courses: dict[str, CoursePage],
    agencies: dict[Any, Agency],
    jurisdictions: dict[str, Any],
) -> None:
    """New sessions with their days and headcounts: what _write_session writes for a row
    without a session, in three INSERTs per chunk. The schedule fields refresh_schedule()
    keeps are computed here the same way."""
    sessions, days = [], []
    for row in rows:
        session = TrainingSession(
            reference=row.reference,
            notes=_("Imported from history."),
            **_fields(row, courses[row.course_code], agencies),
        )
        if row.status == TrainingSession.Status.CANCELLED:
            session.cancellation_reason = CANCELLED_REASON
        zone = session.zone
        own = [
            SessionDay(
                session=session,
                date=date,
                start_time=start,
                end_time=end,
                starts_at=datetime.datetime.combine(date, start, tzinfo=zone),
                ends_at=datetime.datetime.combine(date, end, tzinfo=zone),
            )
            for date, start, end in row.days
        ]
        session.start_date = min((day.date for day in own), default=None)
        session.end_date = max((day.date for day in own), default=None)
        session.scheduled_minutes = scheduled_minutes(own)
        sessions.append(session)
        days.extend(own)
    TrainingSession.objects.bulk_create(sessions)
    SessionDay.objects.bulk_create(days)
    Headcount.objects.bulk_create(
        Headcount(
            session=session,
            agency=agencies[key] if key else None,
            jurisdiction_id=jurisdictions[code] if code else None,
            count=count,
        )
        for session, row in zip(sessions, rows, strict=True)
        for key, code, count in row.headcounts
    )


def _fields(row: Any, course: CoursePage, agencies: dict[Any, Agency]) -> dict[str, Any]:
    return {
        "course": course,
        "time_zone": row.time_zone,
        "delivery": row.delivery,
        "status": row.status,
        "city": row.city,
        "country": row.country,
        "host_agency": agencies[row.host_agency] if row.host_agency else None,
    }


def _write_session(
    row: Any, course: CoursePage, agencies: dict[Any, Agency], jurisdictions: dict[str, Any]
) -> None:
    fields = _fields(row, course, agencies)
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
