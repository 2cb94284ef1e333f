#!/usr/bin/env python
"""Benchmark: the public programme feed, built (first request after a change) and served.

Fills an in-memory SQLite database (muster.settings.test: migrations, then `--sessions`
scheduled sessions of two days each over a few courses, bulk-created), then through the whole
middleware stack (django.test.Client):

- the first request after a change (the version bumped, so nothing is cached): median of
  `--runs`, against the target of issue 16, <= 150 ms with 5,000 sessions;
- a cached hit and a conditional GET (If-None-Match, answered 304), per request, medians over
  `--hits` requests (the in-process cost; bench_pages.py measures req/s through gunicorn).

    python benchmarks/bench_feeds.py [--sessions 5000] [--runs 5] [--hits 2000]

tests/benchmarks/test_benchmarks.py runs it at a tiny size, so the script cannot rot.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEED = "/calendar/programme.ics"
TARGET_MS = 150


def fill(sessions, *, chunk=2000):
    """`sessions` scheduled sessions (two days each, upcoming) over five courses."""
    from courses.models import CourseIndexPage, CoursePage
    from sessions.models import SessionDay, TrainingSession

    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        raise SystemExit("The migrations made no course catalogue.")
    course_ids = []
    for n in range(5):
        page = CoursePage(
            title=f"Feed course {n}", code=f"FEED-{n:03d}", summary="Benchmark course."
        )
        catalogue.add_child(instance=page)
        course_ids.append(page.pk)
    deliveries = ["in_person", "in_person", "remote", "hybrid"]
    countries = ["HK", "SG", "TH", "US", "GB"]
    first = datetime.date.today() + datetime.timedelta(days=30)
    for low in range(1, sessions + 1, chunk):
        batch = TrainingSession.objects.bulk_create(
            [
                TrainingSession(
                    reference=f"F-{g}",
                    delivery=deliveries[g % 4],
                    status="scheduled",
                    time_zone=("Asia/Hong_Kong", "Europe/London", "America/New_York")[g % 3],
                    country=countries[g % 5],
                    city="City",
                    venue="Training centre",
                    capacity=30,
                    start_date=first + datetime.timedelta(days=g % 300),
                    end_date=first + datetime.timedelta(days=g % 300 + 1),
                    scheduled_minutes=2 * 8 * 60,
                    course_id=course_ids[g % len(course_ids)],
                )
                for g in range(low, min(low + chunk, sessions + 1))
            ],
            batch_size=chunk,
        )
        days = []
        for s in batch:
            for k in range(2):
                date = s.start_date + datetime.timedelta(days=k)
                starts = datetime.datetime.combine(date, datetime.time(1), tzinfo=datetime.UTC)
                days.append(
                    SessionDay(
                        session_id=s.pk,
                        date=date,
                        start_time=datetime.time(9),
                        end_time=datetime.time(17),
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=8),
                    )
                )
        SessionDay.objects.bulk_create(days, batch_size=chunk)


def _ms(fn, count):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _get(client, status, **kwargs):
    response = client.get(FEED, **kwargs)
    if response.status_code != status:
        raise SystemExit(f"{FEED} answered {response.status_code}, not {status}")
    return response


def _load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(*, runs, hits):
    """{'first_ms', 'hit_ms', 'not_modified_ms', 'events', 'bytes', 'met'}; prints them."""
    from django.test import Client

    from pagecache import versions

    client = Client()

    def first():
        versions._bump_now()
        return _get(client, 200)

    response = first()  # warm-up: imports, translations, zone data
    body = response.content
    etag = response["ETag"]
    first_runs = _ms(first, runs)

    def hit():
        _get(client, 200)

    def not_modified():
        _get(client, 304, headers={"if-none-match": etag})

    first()
    hit()
    etag = client.get(FEED)["ETag"]
    hit_runs = _ms(hit, hits)
    not_modified_runs = _ms(not_modified, hits)
    result = {
        "first_ms": statistics.median(first_runs),
        "hit_ms": statistics.median(hit_runs),
        "not_modified_ms": statistics.median(not_modified_runs),
        "events": body.count(b"BEGIN:VEVENT"),
        "bytes": len(body),
    }
    result["met"] = result["first_ms"] <= TARGET_MS
    print(
        f"programme feed: {result['events']} events, {result['bytes'] / 1024:.0f} KB\n"
        f"first request (uncached): median {result['first_ms']:7.1f} ms of {runs} runs"
        f" (runs: {', '.join(f'{t:.0f}' for t in first_runs)})\n"
        f"cached hit:               median {result['hit_ms'] * 1000:7.0f} us of {hits}\n"
        f"conditional GET (304):    median {result['not_modified_ms'] * 1000:7.0f} us of {hits}\n"
        f"target first request <= {TARGET_MS} ms: {'met' if result['met'] else 'MISSED'}"
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hits", type=int, default=2000)
    # `make bench` hands every script the same arguments: ignore the other scripts' options.
    args, _others = parser.parse_known_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "muster.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MUSTER_PAGE_CACHE = True  # muster.settings.test turns it off for the suite

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(args.sessions)
    print(f"filled {args.sessions} sessions in {time.perf_counter() - started:.1f} s")
    print(f"load average (1, 5, 15 min): {_load()}", flush=True)
    result = measure(runs=args.runs, hits=args.hits)
    print(f"load average (1, 5, 15 min): {_load()}", flush=True)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
