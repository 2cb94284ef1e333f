#!/usr/bin/env python
"""Benchmark: the yearly report on PostgreSQL with 100,000 sessions and 1,000,000 attendance rows.

Starts its own throwaway PostgreSQL cluster (the one scripts/run_tests.py uses), migrates,
fills it through the ORM (bulk_create, see `fill`), then times `reports.figures.year_report()`
against one hand-written SQL statement computing the same figures, and prints the median of
each (after one warm-up run) and their ratio. Targets (issue 7): report <= 300 ms and <= 2x
the hand-written SQL. Before timing, both are checked against each other and against figures
counted from the attendance rows and session days themselves (so the stored
Registration.participated and TrainingSession.scheduled_minutes that both read are checked too).

    python benchmarks/bench_reports.py [--sessions 100000] [--runs 9] [--explain]

tests/benchmarks/test_bench_reports.py runs `fill` and `compare` with a few sessions on the
test database, so the script cannot rot.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from run_tests import Cluster, find_pg_bin  # noqa: E402

REGISTRATIONS_PER_SESSION = 5
DAYS_PER_SESSION = 2  # 5 registrations x 2 days: 10 attendance rows per session
YEARS = 10
FIRST_YEAR = 2015
YEAR = FIRST_YEAR + YEARS // 2

# The same figures as reports.figures.year_report, written by hand in one statement (PostgreSQL).
# Like the report, it reads the columns the sessions app stores for them: who took part from
# Registration.participated (present or late on at least one day, kept by every attendance
# write) and the hours from TrainingSession.scheduled_minutes (kept by refresh_schedule()).
HAND_WRITTEN_SQL = """
WITH s AS (
    SELECT id, status, delivery, country, course_id, scheduled_minutes
    FROM training_sessions_trainingsession
    WHERE start_date >= %(start)s AND start_date < %(end)s
), d AS (
    SELECT * FROM s WHERE status = 'delivered'
), att AS MATERIALIZED (
    -- One row per officer who took part: their participations and agency.
    SELECT x.officer_id, x.n, p.agency_id
    FROM (SELECT r.officer_id, count(*) AS n
          FROM training_sessions_registration r JOIN d ON d.id = r.session_id
          WHERE r.participated GROUP BY r.officer_id) x
    LEFT JOIN attendees_officerprofile p ON p.user_id = x.officer_id
), hc AS MATERIALIZED (
    SELECT h.count, h.agency_id,
           CASE hj.kind WHEN 'country' THEN hj.code
                        WHEN 'subdivision' THEN split_part(hj.code, '-', 1) END AS country
    FROM training_sessions_headcount h
    JOIN d ON d.id = h.session_id
    LEFT JOIN attendees_jurisdiction hj ON hj.id = h.jurisdiction_id
), ag AS MATERIALIZED (
    -- The distinct agencies among participants: officers' and headcounts'.
    SELECT agency_id FROM att WHERE agency_id IS NOT NULL
    UNION SELECT agency_id FROM hc WHERE agency_id IS NOT NULL
)
SELECT
    (SELECT count(*) FILTER (WHERE status = 'delivered') FROM s),
    (SELECT count(*) FILTER (WHERE status = 'delivered' AND delivery = 'in_person') FROM s),
    (SELECT count(*) FILTER (WHERE status = 'delivered' AND delivery = 'remote') FROM s),
    (SELECT count(*) FILTER (WHERE status = 'delivered' AND delivery = 'hybrid') FROM s),
    (SELECT count(*) FILTER (WHERE status = 'scheduled') FROM s),
    (SELECT count(*) FILTER (WHERE status = 'cancelled') FROM s),
    (SELECT json_object_agg(country, n ORDER BY country) FROM
        (SELECT country, count(*) AS n FROM d WHERE country <> '' GROUP BY country) x),
    (SELECT json_object_agg(code, n ORDER BY code) FROM
        (SELECT c.code, count(*) AS n FROM d
         JOIN courses_coursepage c ON c.page_ptr_id = d.course_id GROUP BY c.code) y),
    (SELECT coalesce(sum(n), 0) FROM att) + (SELECT coalesce(sum(count), 0) FROM hc),
    (SELECT count(*) FROM att),
    (SELECT count(*) FROM ag),
    (SELECT count(*) FROM (
        SELECT CASE j.kind WHEN 'country' THEN j.code
                           WHEN 'subdivision' THEN split_part(j.code, '-', 1) END AS country
        FROM ag JOIN attendees_agency a ON a.id = ag.agency_id
        JOIN attendees_jurisdiction j ON j.id = a.jurisdiction_id
        UNION SELECT country FROM hc) v WHERE country IS NOT NULL),
    (SELECT sum(scheduled_minutes) / 60.0 FROM d)
"""


def fill(sessions=100_000, *, chunk=2000):
    """The benchmark's programme, through the ORM (bulk_create), so the same builder runs on
    PostgreSQL and SQLite (tests/benchmarks/ runs it with a few sessions).

    `sessions` sessions over ten years (80% delivered, 10% scheduled, 5% cancelled, 5% drafts),
    two days each, five registrations each (one officer per five sessions), one attendance row
    per registration and day (80% present, 10% late, 10% absent), a headcount by agency on every
    fifth session and by jurisdiction on every seventh. Attendance goes through
    Attendance.objects.bulk_create, then refresh_participated() keeps Registration.participated
    as the app's attendance service does.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from attendees.models import Agency, Jurisdiction, OfficerProfile
    from courses.models import CourseIndexPage, CoursePage
    from sessions.attendance.services import refresh_participated
    from sessions.models import Attendance, Headcount, Registration, SessionDay, TrainingSession

    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        raise SystemExit("The migrations made no course catalogue.")
    course_ids = []
    for n in range(20):
        page = CoursePage(title=f"Bench course {n}", code=f"BEN-{n:03d}", summary="Benchmark.")
        catalogue.add_child(instance=page)
        course_ids.append(page.pk)
    # Agencies across countries, some subdivisions and supranational bodies.
    jurisdiction_ids = list(Jurisdiction.objects.order_by("pk").values_list("pk", flat=True))
    types = ["police", "fiu", "regulator", "prosecution"]
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Bench agency {g}",
            type=types[g % 4],
            jurisdiction_id=jurisdiction_ids[(g * 37) % len(jurisdiction_ids)],
        )
        for g in range(1, 601)
    )
    agency_ids = [a.pk for a in agencies]
    officer_count = max(sessions // 5, REGISTRATIONS_PER_SESSION)
    users = get_user_model().objects.bulk_create(
        (
            get_user_model()(
                password=UNUSABLE_PASSWORD_PREFIX,
                first_name="Officer",
                last_name=f"No {g}",
                email=f"bench{g}@bench.example",
            )
            for g in range(1, officer_count + 1)
        ),
        batch_size=chunk,
    )
    officer_ids = [u.pk for u in users]
    OfficerProfile.objects.bulk_create(
        (
            OfficerProfile(
                user_id=pk,
                agency_id=agency_ids[pk % len(agency_ids)],
                verification=OfficerProfile.Verification.VERIFIED,
            )
            for pk in officer_ids
        ),
        batch_size=chunk,
    )
    deliveries = ["in_person", "in_person", "remote", "hybrid"]
    countries = ["HK", "SG", "TH", "US", "GB", "FR", "JP", "KR"]
    first_day = datetime.date(FIRST_YEAR, 1, 1)
    hk_offset = datetime.timedelta(hours=8)  # Asia/Hong_Kong has no daylight saving time
    for low in range(1, sessions + 1, chunk):
        numbers = range(low, min(low + chunk, sessions + 1))
        batch = []
        for g in numbers:
            # 367 is prime to 3650: every day of the ten years gets as many sessions, spread
            # over the whole id range (as g % 3650 would), and a few sessions reach every year.
            start = first_day + datetime.timedelta(days=(g * 367) % (YEARS * 365))
            status = (
                "delivered"
                if g % 10 < 8
                else "scheduled"
                if g % 10 == 8
                else "cancelled"
                if g % 20 == 9
                else "draft"
            )
            batch.append(
                TrainingSession(
                    reference=f"B-{g}",
                    delivery=deliveries[g % 4],
                    status=status,
                    cancellation_reason="Bench." if status == "cancelled" else "",
                    time_zone="Asia/Hong_Kong",
                    country="" if g % 4 == 2 else countries[g % 8],
                    capacity=30,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=DAYS_PER_SESSION - 1),
                    # What refresh_schedule() stores: the days below, 8 hours each.
                    scheduled_minutes=DAYS_PER_SESSION * 8 * 60,
                    course_id=course_ids[g % len(course_ids)],
                )
            )
        batch = TrainingSession.objects.bulk_create(batch, batch_size=chunk)
        days = []
        for s in batch:
            for k in range(DAYS_PER_SESSION):
                date = s.start_date + datetime.timedelta(days=k)
                starts = datetime.datetime.combine(date, datetime.time(9), tzinfo=datetime.UTC)
                days.append(
                    SessionDay(
                        session_id=s.pk,
                        date=date,
                        start_time=datetime.time(9),
                        end_time=datetime.time(17),
                        starts_at=starts - hk_offset,
                        ends_at=starts - hk_offset + datetime.timedelta(hours=8),
                    )
                )
        days = SessionDay.objects.bulk_create(days, batch_size=chunk)
        days_of = {}
        for day in days:
            days_of.setdefault(day.session_id, []).append(day.pk)
        registrations = []
        for s in batch:
            officers = {
                officer_ids[((s.pk * REGISTRATIONS_PER_SESSION + k) * 7919) % officer_count]
                for k in range(REGISTRATIONS_PER_SESSION)
            }
            registrations += [
                Registration(session_id=s.pk, officer_id=o, status="confirmed")
                for o in sorted(officers)
            ]
        registrations = Registration.objects.bulk_create(registrations, batch_size=chunk)
        Attendance.objects.bulk_create(
            (
                Attendance(
                    registration_id=r.pk,
                    day_id=d,
                    status=("present", "late", "absent")[min(max((r.pk + d) % 10 - 7, 0), 2)],
                    method="roll_call",
                )
                for r in registrations
                for d in days_of[r.session_id]
            ),
            batch_size=chunk,
        )
        # Bulk writes bypass record_attendance(): refresh the stored flag explicitly.
        refresh_participated([r.pk for r in registrations])
        headcounts = [
            Headcount(session_id=s.pk, count=10 + s.pk % 50, agency_id=agency_ids[s.pk % 600])
            for s in batch
            if s.pk % 5 == 0
        ] + [
            Headcount(
                session_id=s.pk,
                count=20 + s.pk % 80,
                jurisdiction_id=jurisdiction_ids[s.pk % len(jurisdiction_ids)],
            )
            for s in batch
            if s.pk % 7 == 0
        ]
        Headcount.objects.bulk_create(headcounts, batch_size=chunk)


def from_source_rows(year):
    """participants, officers and training hours counted straight from the attendance rows and
    the session days, as the counting rules read, not from the stored Registration.participated
    and TrainingSession.scheduled_minutes: the check that the stored columns are right."""
    from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum

    from reports.figures import session_q
    from sessions.models import Attendance, Headcount, SessionDay

    attended = Attendance.objects.filter(
        session_q(year, prefix="registration__session__"), status__in=Attendance.ATTENDED
    ).aggregate(
        participants=Count("registration", distinct=True),
        officers=Count("registration__officer", distinct=True),
    )
    counted = Headcount.objects.filter(session_q(year, prefix="session__")).aggregate(
        n=Sum("count")
    )["n"]
    length = SessionDay.objects.filter(session_q(year, prefix="session__")).aggregate(
        # Each day's UTC end minus its UTC start: the real length, clock changes included.
        t=Sum(ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField()))
    )["t"]
    return (
        attended["participants"] + (counted or 0),
        attended["officers"],
        round(length.total_seconds() / 3600, 2) if length else 0,
    )


def hand_written(year):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(HAND_WRITTEN_SQL, {"start": f"{year}-01-01", "end": f"{year + 1}-01-01"})
        return cursor.fetchone()


def agrees(report, row):
    import json

    def as_dict(value):
        return (json.loads(value) if isinstance(value, str) else value) or {}

    return (
        list(row[:6]) == list(report["sessions"].values())
        and as_dict(row[6]) == report["by_country"]
        and as_dict(row[7]) == report["by_course"]
        and list(row[8:12])
        == [report[k] for k in ("participants", "officers", "agencies", "jurisdictions")]
        and abs(report["training_hours"] - float(row[12] or 0)) < 0.01
    )


def median_ms(fn, runs):
    fn()  # warm caches and plans once
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), timings


def compare(year=YEAR, runs=9, *, explain_plans=False):
    """Check the report against the hand-written SQL (PostgreSQL only) and the attendance rows,
    then time both. Returns a dict of the figures; the timings only on PostgreSQL."""
    from django.db import connection

    from reports.figures import year_report

    report = year_report(year)
    truth = from_source_rows(year)
    result = {
        "report": report,
        "rows_agree": truth
        == (report["participants"], report["officers"], report["training_hours"]),
    }
    print(
        f"year {year}: {report['sessions']['delivered']} delivered, "
        f"{report['participants']} participants, {report['officers']} officers, "
        f"{report['agencies']} agencies, {report['jurisdictions']} jurisdictions, "
        f"{report['training_hours']} hours; attendance rows and days agree: {result['rows_agree']}"
    )
    if connection.vendor != "postgresql":
        print("hand-written SQL and timings: PostgreSQL only, skipped on", connection.vendor)
        return result
    result["sql_agrees"] = agrees(report, hand_written(year))
    print(f"hand-written SQL agrees: {result['sql_agrees']}")
    if explain_plans:
        explain(connection, lambda: year_report(year))
    result["report_ms"], report_runs = median_ms(lambda: year_report(year), runs)
    result["sql_ms"], sql_runs = median_ms(lambda: hand_written(year), runs)
    result["ratio"] = result["report_ms"] / result["sql_ms"]
    result["met"] = result["report_ms"] <= 300 and result["ratio"] <= 2
    print(
        f"year_report():    median {result['report_ms']:7.1f} ms of {runs} runs after a warm-up"
        f"  (runs: {_fmt(report_runs)})"
    )
    print(
        f"hand-written SQL: median {result['sql_ms']:7.1f} ms of {runs} runs after a warm-up"
        f"  (runs: {_fmt(sql_runs)})"
    )
    print(
        f"target report <= 300 ms: {'met' if result['report_ms'] <= 300 else 'MISSED'}; "
        f"target report <= 2x SQL: {'met' if result['ratio'] <= 2 else 'MISSED'} "
        f"(ratio {result['ratio']:.2f}x)"
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of every query the report runs"
    )
    # `make bench` hands every script the same arguments: ignore the other scripts' options.
    args, _others = parser.parse_known_args()

    bindir = find_pg_bin()
    if bindir is None:
        print("PostgreSQL server binaries not found: bench_reports skipped.")
        return 0
    cluster = Cluster(bindir)
    try:
        os.environ["DATABASE_URL"] = cluster.start()
        os.environ["DJANGO_SETTINGS_MODULE"] = "muster.settings.test"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        fill(args.sessions)
        with connection.cursor() as cursor:
            # As autovacuum would have: statistics and the visibility map (index-only scans).
            cursor.execute("VACUUM ANALYZE")
            counts = {}
            for table in (
                "trainingsession",
                "sessionday",
                "registration",
                "attendance",
                "headcount",
            ):
                cursor.execute(f"SELECT count(*) FROM training_sessions_{table}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
        print(f"filled in {time.perf_counter() - started:.1f} s: {counts}", flush=True)
        print(f"load average (1, 5, 15 min): {_load()}", flush=True)
        result = compare(YEAR, args.runs, explain_plans=args.explain)
        print(f"load average (1, 5, 15 min): {_load()}", flush=True)
        connection.close()
        return 0 if result["rows_agree"] and result["sql_agrees"] and result["met"] else 1
    finally:
        cluster.stop()


def explain(connection, fn):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print(query["time"], query["sql"][:300])
            print("\n".join(row[0] for row in cursor.fetchall()))


def _load():
    try:
        return " ".join(f"{n:.2f}" for n in os.getloadavg())
    except OSError:
        return "unknown"


def _fmt(timings):
    return " ".join(f"{t:.0f}" for t in timings)


if __name__ == "__main__":
    sys.exit(main())
