#!/usr/bin/env python
"""Benchmark: the yearly report on PostgreSQL with 100,000 sessions and 1,000,000 attendance rows.

Starts its own throwaway PostgreSQL cluster (the one scripts/run_tests.py uses), migrates,
fills it with bulk SQL (INSERT ... SELECT generate_series), then times
`reports.figures.year_report()` against one hand-written SQL statement computing the same
figures, and prints the median of each and their ratio. Targets (issue 7): report <= 300 ms
and <= 2x the hand-written SQL.

    python benchmarks/bench_reports.py [--sessions 100000] [--runs 9] [--explain]
"""

# The bulk SQL below interpolates only integers this script computes, never input.
# ruff: noqa: S608

import argparse
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

# The same figures as reports.figures.year_report, written by hand in one statement.
HAND_WRITTEN_SQL = """
WITH s AS (
    SELECT id, status, delivery, country, course_id FROM training_sessions_trainingsession
    WHERE start_date >= %(start)s AND start_date < %(end)s
), d AS (
    SELECT * FROM s WHERE status = 'delivered'
), att AS MATERIALIZED (
    SELECT r.id AS registration_id, r.officer_id, p.agency_id,
           CASE j.kind WHEN 'country' THEN j.code
                       WHEN 'subdivision' THEN split_part(j.code, '-', 1) END AS country
    FROM training_sessions_attendance a
    JOIN training_sessions_registration r ON r.id = a.registration_id
    JOIN d ON d.id = r.session_id
    LEFT JOIN attendees_officerprofile p ON p.user_id = r.officer_id
    LEFT JOIN attendees_agency ag ON ag.id = p.agency_id
    LEFT JOIN attendees_jurisdiction j ON j.id = ag.jurisdiction_id
    WHERE a.status IN ('present', 'late')
), hc AS MATERIALIZED (
    SELECT h.count, h.agency_id,
           CASE aj.kind WHEN 'country' THEN aj.code
                        WHEN 'subdivision' THEN split_part(aj.code, '-', 1) END AS agency_country,
           CASE hj.kind WHEN 'country' THEN hj.code
                        WHEN 'subdivision' THEN split_part(hj.code, '-', 1) END AS country
    FROM training_sessions_headcount h
    JOIN d ON d.id = h.session_id
    LEFT JOIN attendees_agency ag ON ag.id = h.agency_id
    LEFT JOIN attendees_jurisdiction aj ON aj.id = ag.jurisdiction_id
    LEFT JOIN attendees_jurisdiction hj ON hj.id = h.jurisdiction_id
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
    (SELECT count(DISTINCT registration_id) FROM att)
        + (SELECT coalesce(sum(count), 0) FROM hc),
    (SELECT count(DISTINCT officer_id) FROM att),
    (SELECT count(*) FROM (SELECT agency_id FROM att WHERE agency_id IS NOT NULL
                           UNION SELECT agency_id FROM hc WHERE agency_id IS NOT NULL) u),
    (SELECT count(*) FROM (SELECT country FROM att WHERE country IS NOT NULL
                           UNION SELECT agency_country FROM hc WHERE agency_country IS NOT NULL
                           UNION SELECT country FROM hc WHERE country IS NOT NULL) v),
    (SELECT extract(epoch FROM sum(sd.ends_at - sd.starts_at)) / 3600
     FROM training_sessions_sessionday sd JOIN d ON d.id = sd.session_id)
"""


def fill(cursor, sessions):
    """Courses through the ORM (they are Wagtail pages); everything else in bulk SQL."""
    from courses.models import CourseIndexPage, CoursePage

    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        raise SystemExit("The migrations made no course catalogue.")
    course_ids = []
    for n in range(20):
        page = CoursePage(title=f"Bench course {n}", code=f"BEN-{n:03d}", summary="Benchmark.")
        catalogue.add_child(instance=page)
        course_ids.append(page.pk)
    officers = sessions // 5
    sql = [
        # 600 agencies across countries and some subdivisions and supranational bodies.
        """INSERT INTO attendees_agency (name, acronym, type, jurisdiction_id, parent_id)
           SELECT 'Bench agency ' || g, '',
                  (ARRAY['police','fiu','regulator','prosecution'])[1 + g % 4], j.id, NULL
           FROM generate_series(1, 600) g
           JOIN LATERAL (SELECT id FROM attendees_jurisdiction
                         ORDER BY id OFFSET (g * 37) % 5000 LIMIT 1) j ON true""",
        f"""INSERT INTO accounts_user (password, last_login, is_superuser, first_name, last_name,
                                      is_staff, is_active, date_joined, email, time_zone)
            SELECT '!', NULL, false, 'Officer', 'No ' || g, false, true, now(),
                   'bench' || g || '@bench.example', ''
            FROM generate_series(1, {officers}) g""",
        """INSERT INTO attendees_officerprofile (rank, verification, verified_at, agency_id,
                                                 user_id, verified_by_id, rejection_reason,
                                                 verification_note, created_at)
           SELECT '', 'verified', now(), a.ids[1 + u.id % array_length(a.ids, 1)], u.id, NULL,
                  '', '', now()
           FROM accounts_user u, (SELECT array_agg(id ORDER BY id) AS ids FROM attendees_agency) a
           WHERE u.email LIKE 'bench%%'""",
        f"""INSERT INTO training_sessions_trainingsession (reference, delivery, status,
                cancellation_reason, time_zone, venue, city, country, join_url, capacity,
                registration_opens, registration_closes, eligibility, language, notes, start_date,
                end_date, sequence, created_at, updated_at, course_id, host_agency_id)
            SELECT 'B-' || g,
                   (ARRAY['in_person','in_person','remote','hybrid'])[1 + g % 4],
                   CASE WHEN g % 10 < 8 THEN 'delivered' WHEN g % 10 = 8 THEN 'scheduled'
                        WHEN g % 20 = 9 THEN 'cancelled' ELSE 'draft' END,
                   CASE WHEN g % 20 = 9 THEN 'Bench.' ELSE '' END,
                   'Asia/Hong_Kong', '', '',
                   CASE WHEN g % 4 = 2 THEN ''
                        ELSE (ARRAY['HK','SG','TH','US','GB','FR','JP','KR'])[1 + g % 8] END,
                   '', 30, NULL, NULL, 'all_verified', 'en', '',
                   DATE '{FIRST_YEAR}-01-01' + (g % {YEARS * 365}),
                   DATE '{FIRST_YEAR}-01-01' + (g % {YEARS * 365}) + {DAYS_PER_SESSION - 1},
                   0, now(), now(),
                   (ARRAY{course_ids})[1 + g % {len(course_ids)}], NULL
            FROM generate_series(1, {sessions}) g""",
        f"""INSERT INTO training_sessions_sessionday (date, start_time, end_time, starts_at,
                                                     ends_at, session_id)
            SELECT s.start_date + k, TIME '09:00', TIME '17:00',
                   (s.start_date + k + TIME '01:00') AT TIME ZONE 'UTC',
                   (s.start_date + k + TIME '09:00') AT TIME ZONE 'UTC', s.id
            FROM training_sessions_trainingsession s,
                 generate_series(0, {DAYS_PER_SESSION - 1}) k""",
        f"""INSERT INTO training_sessions_registration (status, created_at, status_changed_at,
                                                       officer_id, session_id, walk_in)
            SELECT 'confirmed', now(), now(),
                   o.first_id + ((s.id * {REGISTRATIONS_PER_SESSION} + k) * 7919) % {officers},
                   s.id, false
            FROM training_sessions_trainingsession s,
                 generate_series(0, {REGISTRATIONS_PER_SESSION - 1}) k,
                 (SELECT min(id) AS first_id FROM accounts_user WHERE email LIKE 'bench%%') o
            ON CONFLICT DO NOTHING""",
        """INSERT INTO training_sessions_attendance (status, method, recorded_at, day_id,
                                                    recorded_by_id, registration_id)
           SELECT CASE WHEN (r.id + d.id) % 10 < 8 THEN 'present'
                       WHEN (r.id + d.id) % 10 = 8 THEN 'late' ELSE 'absent' END,
                  'roll_call', now(), d.id, NULL, r.id
           FROM training_sessions_registration r
           JOIN training_sessions_sessionday d ON d.session_id = r.session_id""",
        """INSERT INTO training_sessions_headcount (count, agency_id, jurisdiction_id, session_id)
           SELECT 10 + s.id % 50, a.ids[1 + s.id % array_length(a.ids, 1)], NULL, s.id
           FROM training_sessions_trainingsession s,
                (SELECT array_agg(id ORDER BY id) AS ids FROM attendees_agency) a
           WHERE s.id % 5 = 0""",
        """INSERT INTO training_sessions_headcount (count, agency_id, jurisdiction_id, session_id)
           SELECT 20 + s.id % 80, NULL, j.ids[1 + s.id % array_length(j.ids, 1)], s.id
           FROM training_sessions_trainingsession s,
                (SELECT array_agg(id ORDER BY id) AS ids FROM attendees_jurisdiction) j
           WHERE s.id % 7 = 0""",
    ]
    for statement in sql:
        cursor.execute(statement)


# An index the sessions app could add (the reports app owns no sessions table): attendance by
# registration with its status, so the report's per-registration lookups need no table fetch.
SUGGESTED_INDEX = (
    "CREATE INDEX bench_attendance_registration_status "
    "ON training_sessions_attendance (registration_id, status)"
)


def median_ms(fn, runs):
    fn()  # warm caches and plans once
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--suggested-index", action="store_true", help="add SUGGESTED_INDEX before timing"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of every query the report runs"
    )
    args = parser.parse_args()

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

        from reports.figures import year_report

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            fill(cursor, args.sessions)
            if args.suggested_index:
                cursor.execute(SUGGESTED_INDEX)
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
                cursor.execute(f"SELECT count(*) FROM training_sessions_{table}")
                counts[table] = cursor.fetchone()[0]
        print(f"filled in {time.perf_counter() - started:.1f} s: {counts}", flush=True)

        year = FIRST_YEAR + YEARS // 2
        start, end = f"{year}-01-01", f"{year + 1}-01-01"

        def hand_written():
            with connection.cursor() as cursor:
                cursor.execute(HAND_WRITTEN_SQL, {"start": start, "end": end})
                return cursor.fetchone()

        report = year_report(year)
        row = hand_written()
        same = (
            report["sessions"]["delivered"] == row[0]
            and report["participants"] == row[8]
            and report["officers"] == row[9]
            and report["agencies"] == row[10]
            and report["jurisdictions"] == row[11]
            and abs(report["training_hours"] - float(row[12])) < 0.01
        )
        print(
            f"year {year}: {report['sessions']['delivered']} delivered, "
            f"{report['participants']} participants, {report['officers']} officers, "
            f"{report['agencies']} agencies, {report['jurisdictions']} jurisdictions, "
            f"{report['training_hours']} hours; hand-written SQL agrees: {same}"
        )
        if args.explain:
            explain(connection, lambda: year_report(year))
        report_ms, report_runs = median_ms(lambda: year_report(year), args.runs)
        sql_ms, sql_runs = median_ms(hand_written, args.runs)
        ratio = report_ms / sql_ms
        print(f"year_report():      median {report_ms:7.1f} ms  (runs: {_fmt(report_runs)})")
        print(f"hand-written SQL:   median {sql_ms:7.1f} ms  (runs: {_fmt(sql_runs)})")
        print(
            f"ratio {ratio:.2f}x; targets: report <= 300 ms "
            f"[{'met' if report_ms <= 300 else 'MISSED'}], <= 2x SQL "
            f"[{'met' if ratio <= 2 else 'MISSED'}]"
        )
        connection.close()
        return 0 if same and report_ms <= 300 and ratio <= 2 else 1
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


def _fmt(timings):
    return " ".join(f"{t:.0f}" for t in timings)


if __name__ == "__main__":
    sys.exit(main())
