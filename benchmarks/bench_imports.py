#!/usr/bin/env python
"""Benchmark: a 10,000-row roster import and a 5,000-row history import, as the worker runs them.

Targets (issue 15): roster <= 5 s, history <= 15 s on this machine. Each import is timed from the
confirmed job to its end (jobs.runner.run_job: the same code the worker runs, all in one
transaction, with its audit entries and progress), after the preview's check, which is timed
apart. Beside each, the floor: bare Django writing the same rows with bulk_create and nothing
else (no checks, no audit, no progress), and the ratio of the two, so a slow machine and a slow
import can be told apart.

Runs on a throwaway SQLite file (migrated first), or on PostgreSQL with DATABASE_URL set (a
database you can throw away: the script migrates it and fills it).

    python benchmarks/bench_imports.py [--roster 10000] [--history 5000]

tests/benchmarks/test_benchmarks.py runs `roster` and `history` with a few rows on the test
database, so the script cannot rot.
"""

import argparse
import datetime
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROSTER_TARGET_S = 5.0
HISTORY_TARGET_S = 15.0
DAYS = [datetime.date(2030, 3, 4), datetime.date(2030, 3, 5)]
COUNTRIES = ["HK", "SG", "TH", "KR", "JP", "MY", "ID", "PH", "VN", "TW"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "muster.settings.test")
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="muster-bench-imports-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _people(n, domain):
    return [(f"officer{i}@{domain}", f"Officer{i} Tester{i}") for i in range(n)]


def roster(rows, *, label="roster", known_share=0.2, quiet=False):
    """Import `rows` people with two days of marks into a new session; a fifth of them known
    already. Returns {check_s, import_s, floor_s, job}."""
    from django.db import transaction

    from jobs import runner
    from jobs.models import ImportJob
    from sessions import imports
    from tests import factories

    trainer = factories.trainer()
    session = factories.session(days=[(day, datetime.time(9), datetime.time(17)) for day in DAYS])
    session.trainers.add(trainer)
    factories.agency(name="Bench Police")
    people = _people(rows, f"{label}.bench.example")
    known = int(rows * known_share)
    for email, _name in people[:known]:
        factories.officer(email=email)
    text = io.StringIO()
    text.write("E-mail,Name,Agency," + ",".join(d.isoformat() for d in DAYS) + "\n")
    for i, (email, name) in enumerate(people):
        text.write(f"{email},{name},Bench Police,present,{'late' if i % 3 else 'absent'}\n")
    upload = _upload("roster.csv", text.getvalue().encode())

    def check():
        header, body = imports.read_table(upload)
        return imports.check_rows(session, header, body)

    check_s, (plan, errors) = _timed(check)
    _check(not errors, errors[:5])
    # The job as jobs.services.start_import writes it, without queueing its task (the test
    # settings' tasks would run it at once, before the clock starts).
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.ROSTER,
        title="bench",
        payload={"session_id": session.pk, "plan": plan},
        rows_total=len(plan),
        started_by=trainer,
    )
    import_s, _status = _timed(lambda: runner.run_job(job.pk))
    job.refresh_from_db()
    _check(job.status == ImportJob.Status.SUCCEEDED, job.errors[:5])

    floor_session = factories.session(
        days=[(day, datetime.time(9), datetime.time(17)) for day in DAYS]
    )

    def floor():
        with transaction.atomic():
            _bare_roster(floor_session, _people(rows, f"floor-{label}.bench.example"), known)

    floor_s, _ = _timed(floor)
    result = {"check_s": check_s, "import_s": import_s, "floor_s": floor_s, "job": job}
    if not quiet:
        _print(f"roster import, {rows:,} rows", result, ROSTER_TARGET_S)
    return result


def _bare_roster(session, people, known):
    """The least Django can do for the same rows: users, profiles, registrations, marks."""
    from django.contrib.auth import get_user_model

    from attendees.models import OfficerProfile
    from sessions.models import Attendance, Registration

    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=email, first_name=name.split()[0], last_name=name.split()[1])
        for email, name in people
    )
    OfficerProfile.objects.bulk_create(OfficerProfile(user=u) for u in users[known:])
    registrations = Registration.objects.bulk_create(
        Registration(session=session, officer=u, status="confirmed") for u in users
    )
    days = list(session.days.order_by("date"))
    Attendance.objects.bulk_create(
        Attendance(registration=r, day=d, status="present", method="import")
        for r in registrations
        for d in days
    )


def history(rows, *, quiet=False):
    """Import `rows` past sessions (a tenth of them cancelled, each with headcounts by agency and
    country) from a CSV through a history job. Returns {check_s, import_s, floor_s, job}."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction

    from attendees.models import Agency
    from jobs import runner
    from jobs.models import ImportJob
    from reports.services import check_file
    from tests import factories

    lead = factories.lead()
    factories.course(code="BEN-101")
    if not Agency.objects.filter(name="Bench Police").exists():
        factories.agency(name="Bench Police")
    text = io.StringIO()
    text.write(
        "reference,course_code,course_title,start_date,end_date,start_time,end_time,timezone,"
        "delivery,status,city,country,host_agency,participants,participant_agencies,"
        "participant_countries\n"
    )
    start = datetime.date(2015, 1, 5)
    for i in range(rows):
        day = start + datetime.timedelta(days=i % 3000)
        country = COUNTRIES[i % len(COUNTRIES)]
        status = "cancelled" if i % 10 == 9 else "delivered"
        participants = "" if status == "cancelled" else str(20 + i % 30)
        text.write(
            f"BENCH-{i:06d},BEN-101,,{day},{day + datetime.timedelta(days=1)},09:00,17:00,"
            f"Asia/Hong_Kong,in_person,{status},City {i % 50},{country},Bench Police,"
            f"{participants},Bench Police;Agency {i % 40},{country}\n"
        )
    data = text.getvalue().encode()
    check_s, plan = _timed(lambda: check_file(data=data, filename="history.csv"))
    _check(not plan.errors, [str(e) for e in plan.errors[:5]])
    path = default_storage.save("reports-imports/bench.csv", ContentFile(data))
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.HISTORY,
        title="bench",
        payload={"path": path, "filename": "history.csv"},
        rows_total=len(plan.rows),
        started_by=lead,
    )
    import_s, _status = _timed(lambda: runner.run_job(job.pk))
    job.refresh_from_db()
    _check(job.status == ImportJob.Status.SUCCEEDED, job.errors[:5])

    def floor():
        with transaction.atomic():
            _bare_history(plan)

    floor_s, _ = _timed(floor)
    result = {"check_s": check_s, "import_s": import_s, "floor_s": floor_s, "job": job}
    if not quiet:
        _print(f"history import, {rows:,} rows", result, HISTORY_TARGET_S)
    return result


def _bare_history(plan):
    """Sessions, days and headcounts for the same rows with bulk_create and nothing else."""
    from courses.models import CoursePage
    from sessions.models import Headcount, SessionDay, TrainingSession

    course = CoursePage.objects.get(code="BEN-101")
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(
            reference="F" + row.reference,
            course=course,
            time_zone=row.time_zone,
            delivery=row.delivery,
            status=row.status,
            city=row.city,
            country=row.country,
            cancellation_reason="Cancelled." if row.status == "cancelled" else "",
        )
        for row in plan.rows
    )
    SessionDay.objects.bulk_create(
        SessionDay(
            session=s,
            date=date,
            start_time=start,
            end_time=end,
            starts_at=datetime.datetime.combine(date, start, tzinfo=s.zone),
            ends_at=datetime.datetime.combine(date, end, tzinfo=s.zone),
        )
        for s, row in zip(sessions, plan.rows, strict=True)
        for date, start, end in row.days
    )
    from attendees.models import Jurisdiction

    country = Jurisdiction.objects.filter(code="HK").values_list("pk", flat=True).first()
    # One headcount line per session (the import writes one per agency or country).
    Headcount.objects.bulk_create(
        Headcount(session=s, jurisdiction_id=country, count=sum(h[2] for h in row.headcounts))
        for s, row in zip(sessions, plan.rows, strict=True)
        if row.headcounts
    )


def _check(ok, details):
    if not ok:
        raise SystemExit(f"the benchmark's import failed: {details}")


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def _print(what, result, target):
    verdict = "ok" if result["import_s"] <= target else "OVER TARGET"
    ratio = result["import_s"] / result["floor_s"] if result["floor_s"] else float("inf")
    print(
        f"{what}: preview check {result['check_s']:.2f} s; import {result['import_s']:.2f} s "
        f"(target <= {target:.0f} s: {verdict}); bare bulk_create floor "
        f"{result['floor_s']:.2f} s; ratio {ratio:.1f}x",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roster", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=5_000)
    args, _unknown = parser.parse_known_args()
    setup_django()
    from django.db import connection

    print(f"database: {connection.vendor}", flush=True)
    roster(args.roster)
    history(args.history)
    return 0


if __name__ == "__main__":
    sys.exit(main())
