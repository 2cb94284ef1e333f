#!/usr/bin/env python
"""`make test`: the whole suite on SQLite, then again on a throwaway PostgreSQL cluster.

The cluster is started on 127.0.0.1 from the server binaries Debian installs under
/usr/lib/postgresql/*/bin (as the `postgres` user when run as root) and removed afterwards. Without
those binaries, one line says the PostgreSQL run was skipped. Extra arguments go to pytest.

First, the Debian packages the suite needs are installed when missing and this process may
(scripts/system_packages.py, shared with CI); each one still missing is named on one line, and
pytest's summary names it again beside the count of tests skipped for want of it.
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import system_packages

ROOT = Path(__file__).resolve().parent.parent


def pytest_command(extra):
    workers = ["-n", "2"] if (os.cpu_count() or 1) > 1 else []
    # -rfEs: the usual summary of failures and errors, plus one line per skip reason.
    return [sys.executable, "-m", "pytest", *workers, "-rfEs", *extra]


def find_pg_bin():
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    candidates.sort(
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
    )
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temporary folder: fast and unsafe settings, for tests only."""

    def __init__(self, bindir):
        self.bindir = bindir
        self.tmp = Path(tempfile.mkdtemp(prefix="muster-pg-"))
        self.data = self.tmp / "data"
        self.port = free_port()
        self.prefix = []
        if os.geteuid() == 0:
            # initdb refuses to run as root: run the server as the postgres user.
            user = pwd.getpwnam("postgres")
            os.chown(self.tmp, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def run(self, *args):
        subprocess.run([*self.prefix, *args], check=True, stdout=subprocess.DEVNULL)

    def start(self):
        self.run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.tmp} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self.run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.tmp / "server.log"),
            "-w",
            "start",
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run(
                str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    # A terminated run (CI time-out, Ctrl-C from another shell) still stops and removes its
    # cluster: turn SIGTERM into SystemExit so the `finally` below runs.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    extra = sys.argv[1:]
    system_packages.report(system_packages.install())
    bindir = find_pg_bin() if system_packages.is_installed("postgresql") else None
    if bindir is None or (os.geteuid() == 0 and not _has_user("postgres")):
        # Said first so that the output still ends with pytest's summary line.
        print("PostgreSQL server binaries not found: the PostgreSQL run was skipped.", flush=True)

    print("== Test suite on SQLite", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    sqlite_status = subprocess.call(pytest_command(extra), cwd=ROOT, env=env)
    if bindir is None or (os.geteuid() == 0 and not _has_user("postgres")):
        return sqlite_status

    print(f"== Test suite on PostgreSQL ({bindir.parent.name}, throwaway cluster)", flush=True)
    cluster = Cluster(bindir)
    try:
        env["DATABASE_URL"] = cluster.start()
        pg_status = subprocess.call(pytest_command(extra), cwd=ROOT, env=env)
    finally:
        cluster.stop()
    return sqlite_status or pg_status


def _has_user(name):
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
