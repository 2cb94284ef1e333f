#!/usr/bin/env python
"""Certificate PDFs per second on one core (target: 50 or more).

Renders N certificates (default 600) with mixed Latin, Thai, Chinese and Korean names through
certificates.pdf.render, the same code the download view runs, without a database: the data a
stored certificate carries is built in memory. Prints wall-clock and CPU rates; CPU time is the
fairer figure on a shared machine. Usage: python benchmarks/bench_certificates.py [N]
"""

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "muster.settings.test")

import django  # noqa: E402

django.setup()

from certificates import pdf  # noqa: E402
from certificates.models import DEFAULT_WORDING  # noqa: E402

NAMES = [
    "Mei Cheung",
    "สมชาย ศรีสุข",
    "김지우",
    "陳家豪",
    "Zoë Ødegård-Müller",
    "กัญญา วงศ์สวัสดิ์",
    "박민준",
    "黃美玲",
    "Ravi Castellanos",
    "Nguyễn Thị Thanh",
]


def sample(i):
    code = f"{i:08d}".ljust(43, "x")
    return pdf.CertificateData(
        heading="Certificate of completion",
        wording=DEFAULT_WORDING,
        officer_name=NAMES[i % len(NAMES)],
        agency="Royal Thai Police" if i % 2 else "Hong Kong Police Force",
        course_title="Advanced virtual-asset investigations",
        start_date=datetime.date(2023, 11, 29),
        end_date=datetime.date(2023, 12, 1),
        hours=21,
        city="Bangkok",
        serial=f"LETP-2023-{i:06d}",
        verification_url=f"https://training.example.org/verify/{code}/",
        signatories=[
            pdf.SignatoryData("Jonas Brandt", "Programme lead"),
            pdf.SignatoryData("Tessa Marlow", "Lead trainer"),
        ],
    )


def main():
    import argparse

    parser = argparse.ArgumentParser(description="Certificate PDF rendering rate.")
    parser.add_argument("--certificates", type=int, default=600)
    # `make bench` hands every script the same arguments: ignore the other scripts' options.
    args, _others = parser.parse_known_args()
    if args.certificates < 1:
        raise SystemExit("--certificates must be positive")
    run(args.certificates)


def run(count):
    """Render `count` certificates and print the rates; returns certificates per CPU second.
    (tests/benchmarks/ runs it with a couple of certificates so the script cannot rot.)"""
    pdf.render(sample(0))  # font registration happens once per process; not measured
    data = [sample(i) for i in range(1, count + 1)]
    wall, cpu = time.perf_counter(), time.process_time()
    total_bytes = 0
    for item in data:
        total_bytes += len(pdf.render(item))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"rendered {count} certificates ({total_bytes / count / 1024:.1f} KiB each on average)")
    print(f"wall clock: {count / wall:.1f} certificates/s ({wall:.2f} s)")
    print(f"CPU (one core): {count / cpu:.1f} certificates/s ({cpu:.2f} s); target >= 50/s")
    return count / cpu if cpu else float("inf")


if __name__ == "__main__":
    main()
