"""Smoke tests: every benchmarks/bench_*.py script runs its own code with tiny sizes, so the
scripts cannot rot. They measure nothing (timings are the scripts' business, not the suite's).
"""

import importlib.util
from pathlib import Path

import pytest
from django.db import connection

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name):
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_benchmark_script_has_a_smoke_test_here():
    scripts = {path.stem for path in BENCHMARKS.glob("bench_*.py")}
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_bench")}
    assert scripts == tested


@pytest.mark.django_db
def test_bench_reports(capsys):
    bench = load("bench_reports")
    bench.fill(200, chunk=64)
    result = bench.compare(bench.YEAR, runs=1)
    report = result["report"]
    # 200 sessions spread over ten years: about 20 in the measured year, 80% delivered.
    assert 8 <= report["sessions"]["delivered"] <= 30
    assert report["participants"] > report["officers"] > 0
    assert report["agencies"] > 0 and report["jurisdictions"] > 0
    assert report["training_hours"] == report["sessions"]["delivered"] * 16
    # Registration.participated, kept by Attendance.objects.bulk_create, matches the rows.
    assert result["rows_agree"]
    if connection.vendor == "postgresql":
        assert result["sql_agrees"]
        assert result["report_ms"] > 0 and result["sql_ms"] > 0
        assert "target report <= 300 ms" in capsys.readouterr().out
    else:
        assert "PostgreSQL only, skipped on sqlite" in capsys.readouterr().out


def test_bench_certificates(capsys):
    bench = load("bench_certificates")
    assert bench.run(2) > 0
    assert "rendered 2 certificates" in capsys.readouterr().out


@pytest.mark.django_db
def test_bench_imports(capsys):
    from django.test import TestCase

    bench = load("bench_imports")
    with TestCase.captureOnCommitCallbacks(execute=True):
        roster = bench.roster(12)
        history = bench.history(6)
    assert roster["job"].result == {"registrations_added": 12, "marks_written": 24}
    assert history["job"].result["sessions_create"] == 6
    out = capsys.readouterr().out
    assert "roster import, 12 rows" in out and "history import, 6 rows" in out


def test_bench_pages(capsys):
    """The whole script at a tiny size: fills its own database, starts gunicorn, measures two
    pages and the floor with the Python load generator (so it needs no wrk)."""
    bench = load("bench_pages")
    results = bench.main(
        [
            "--size",
            "3",
            "--duration",
            "1",
            "--load",
            "python",
            "--workers",
            "1",
            "--pages",
            "session,programme-feed,my-training",
        ]
    )
    assert [row["page"] for row in results] == ["session", "programme-feed", "my-training"]
    assert all(
        row["rate"] > 0 and row["floor"] > 0 and row["p99"] >= row["p50"] > 0 for row in results
    )
    out = capsys.readouterr().out
    assert "share" in out and "load average" in out
    assert ("meets" in out) or ("MISSES" in out)


@pytest.mark.django_db
def test_bench_feeds(capsys, settings):
    bench = load("bench_feeds")
    settings.MUSTER_PAGE_CACHE = True
    bench.fill(3)
    result = bench.measure(runs=1, hits=2)
    assert result["events"] == 6
    assert result["first_ms"] > 0 and result["hit_ms"] > 0 and result["not_modified_ms"] > 0
    assert "first request (uncached)" in capsys.readouterr().out
