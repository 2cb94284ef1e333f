#!/usr/bin/env python
"""Benchmark: the public pages, feeds and signed-in pages under load, against the floor.

Fills a throwaway SQLite database (migrations, then `--size` sessions over a few courses, an
officer with registrations), starts gunicorn (DEBUG off, `--workers` sync workers) with a bare
"ok" view beside the site (the floor: the same server, middleware and database, no work), then
for each page runs the load generator on the floor and on the page in turn and prints req/s,
the page's share of the floor's req/s, p50/p99 latency and the verdict against the targets of
issue 16 (shares of the floor measured in the same run, so a busy machine shifts both):

    anonymous pages >= 35%, the programme feed >= 50%, signed-in pages >= 10%.

Load: wrk (Debian package `wrk`, scripts/system_packages.py) when installed, else a small
Python generator (threads with keep-alive connections: far weaker than wrk, enough for the
smoke test, not for figures).

    python benchmarks/bench_pages.py [--size 200] [--duration 5] [--runs 1] [--connections 16]
        [--workers 2] [--pages home,session,...] [--no-page-cache] [--load wrk|python]

tests/benchmarks/test_benchmarks.py runs it at a tiny size, so the script cannot rot.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ANONYMOUS, FEED, SIGNED_IN = 0.35, 0.50, 0.10
# name -> (address template, target share of the floor, signed in)
PAGES = {
    "home": ("/en/", ANONYMOUS, False),
    "home-th": ("/th/", ANONYMOUS, False),
    "catalogue": ("/en/courses/", ANONYMOUS, False),
    "catalogue-filtered": ("/en/courses/?level={level}", ANONYMOUS, False),
    "course": ("{course_url}", ANONYMOUS, False),
    "sessions": ("/en/sessions/", ANONYMOUS, False),
    "session": ("/en/sessions/{reference}/", ANONYMOUS, False),
    "session-th": ("/th/sessions/{reference}/", ANONYMOUS, False),
    "verify": ("/verify/", ANONYMOUS, False),
    "programme-feed": ("/calendar/programme.ics", FEED, False),
    "my-training": ("/en/my-training/", SIGNED_IN, True),
    "session-signed-in": ("/en/sessions/{reference}/", SIGNED_IN, True),
}

SETTINGS = """
from muster.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {db!r}}}}}
ROOT_URLCONF = "bench_urls"
MUSTER_PAGE_CACHE = {page_cache!r}
MEDIA_ROOT = __import__("pathlib").Path({media!r})
LOGGING = {{"version": 1, "disable_existing_loggers": False}}
"""

URLS = '''
from django.http import HttpResponse
from django.urls import path

from muster.urls import handler429  # noqa: F401
from muster.urls import urlpatterns as site


def floor(request):
    """The floor: the whole middleware stack, no work."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("floor/", floor), *site]
'''

FILL = """
import datetime, json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.test import Client
from tests import factories

size = int(sys.argv[1])
courses = [factories.course(level=level) for level in ("foundation", "advanced")] + [
    factories.course() for _ in range(3)
]
start = datetime.date.today() + datetime.timedelta(days=30)
sessions = []
for i in range(size):
    day = start + datetime.timedelta(days=i % 300)
    sessions.append(factories.session(
        course_obj=courses[i % len(courses)], capacity=20,
        days=[(day, datetime.time(9), datetime.time(17)),
              (day + datetime.timedelta(days=1), datetime.time(9), datetime.time(17))],
    ))
officer = factories.officer()
for session in sessions[:5]:
    factories.registration(session_obj=session, officer_obj=officer)
for session in sessions[: min(size, 20)]:
    factories.registration(session_obj=session)
client = Client()
client.force_login(officer)
print(json.dumps({
    "reference": sessions[0].reference,
    "course_url": courses[0].url,
    "level": courses[0].level,
    "cookie": "sessionid=" + client.cookies["sessionid"].value,
}))
"""

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(workdir, *, size, page_cache):
    (workdir / "bench_settings.py").write_text(
        SETTINGS.format(
            db=str(workdir / "bench.sqlite3"),
            page_cache=page_cache,
            media=str(workdir / "media"),
        )
    )
    (workdir / "bench_urls.py").write_text(URLS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(ROOT)]),
    }
    out = subprocess.run(
        [sys.executable, "-c", FILL, str(size)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return env, json.loads(out.strip().splitlines()[-1])


def start_server(env, *, port, workers):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "muster.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/floor/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server):
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def check(port, path, cookie):
    """The page answers 200 (a benchmark of an error page measures nothing)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}, not 200")


def run_wrk(port, path, *, duration, connections, cookie):
    # A generous timeout: on a loaded machine a slow page must count, not vanish as a timeout.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{path}: {errors.group(1)} responses were errors")

    def percentile(label):
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    return rate, percentile(50), percentile(99)


def run_python(port, path, *, duration, connections, cookie):
    """A weak load generator for machines without wrk: keep-alive connections in threads."""
    latencies = []
    lock = threading.Lock()
    stop = time.monotonic() + duration
    headers = {"Cookie": cookie} if cookie else {}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            began = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            mine.append((time.perf_counter() - began) * 1000)
        with lock:
            latencies.extend(mine)

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(min(connections, 4))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    pick = lambda share: latencies[min(len(latencies) - 1, int(share * len(latencies)))]  # noqa: E731
    return len(latencies) / elapsed, pick(0.5), pick(0.99)


def measure(pages, *, port, context, duration, runs, connections, load):
    generate = run_wrk if load == "wrk" else run_python
    results = []
    for name in pages:
        template, target, signed_in = PAGES[name]
        path = template.format(**context)
        cookie = context["cookie"] if signed_in else ""
        check(port, path, cookie)
        floors, rates, p50s, p99s = [], [], [], []
        for _ in range(runs):
            floor = generate(
                port, "/floor/", duration=duration, connections=connections, cookie=cookie
            )
            page = generate(port, path, duration=duration, connections=connections, cookie=cookie)
            floors.append(floor[0])
            rates.append(page[0])
            p50s.append(page[1])
            p99s.append(page[2])
        floor_rate, rate = statistics.median(floors), statistics.median(rates)
        share = rate / floor_rate if floor_rate else 0.0
        results.append(
            {
                "page": name,
                "path": path,
                "floor": floor_rate,
                "rate": rate,
                "share": share,
                "target": target,
                "p50": statistics.median(p50s),
                "p99": statistics.median(p99s),
                "ok": share >= target,
            }
        )
        print(format_row(results[-1]), flush=True)
    return results


HEADER = (
    f"{'page':<20} {'req/s':>8} {'floor':>8} {'share':>7} {'target':>7} "
    f"{'p50 ms':>8} {'p99 ms':>8}  verdict"
)


def format_row(row):
    return (
        f"{row['page']:<20} {row['rate']:>8.0f} {row['floor']:>8.0f} {row['share']:>7.1%} "
        f"{row['target']:>7.0%} {row['p50']:>8.1f} {row['p99']:>8.1f}  "
        f"{'meets' if row['ok'] else 'MISSES'}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200, help="sessions in the programme")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--runs", type=int, default=1, help="measurements per page (median)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    parser.add_argument("--no-page-cache", action="store_true", help="MUSTER_PAGE_CACHE off")
    parser.add_argument("--load", choices=["wrk", "python"], default=None)
    parser.add_argument("--json", help="also write the results to this file")
    args, _unknown = parser.parse_known_args(argv)
    pages = [name.strip() for name in args.pages.split(",") if name.strip()]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    load = args.load or ("wrk" if shutil.which("wrk") else "python")
    load_average = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        textwrap.dedent(f"""\
        Pages against the floor: {args.size} sessions, gunicorn {args.workers} workers,
        {load} ({args.connections} connections, {args.duration}s x {args.runs}),
        page cache {"off" if args.no_page_cache else "on"}, load average {load_average}"""),
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="muster-bench-pages-") as tmp:
        workdir = Path(tmp)
        env, context = prepare(workdir, size=args.size, page_cache=not args.no_page_cache)
        port = free_port()
        server = start_server(env, port=port, workers=args.workers)
        try:
            print(HEADER, flush=True)
            results = measure(
                pages,
                port=port,
                context=context,
                duration=args.duration,
                runs=args.runs,
                connections=args.connections,
                load=load,
            )
        finally:
            stop_server(server)
    print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    missed = [row["page"] for row in results if not row["ok"]]
    print("All pages meet their targets." if not missed else f"Missing: {', '.join(missed)}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
