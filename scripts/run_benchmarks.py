#!/usr/bin/env python
"""`make bench`: run every benchmarks/bench_*.py script in turn and show what each prints.

Benchmarks measure the performance targets the issues set; they are scripts, not timed tests,
so a slow machine never fails the suite. Extra arguments are passed to each script.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    scripts = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    if not scripts:
        print("No benchmark scripts under benchmarks/ yet.")
        return 0
    status = 0
    for script in scripts:
        print(f"== {script.relative_to(ROOT)}", flush=True)
        status |= subprocess.call([sys.executable, str(script), *sys.argv[1:]], cwd=ROOT)
    return status


if __name__ == "__main__":
    sys.exit(main())
