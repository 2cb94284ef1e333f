#!/usr/bin/env python3
"""The Debian packages the test suite needs, shared by `make test` (scripts/run_tests.py) and CI
(.ci/run).

`python3 scripts/system_packages.py install` installs the missing ones with apt-get when it can
(root, or sudo without a password prompt, and apt-get present); otherwise, and with
MUSTER_NO_APT=1, it only says what is missing. The tests that need a missing package are then
skipped, one summary line per package (tests/conftest.py asks `is_installed`). Plain Python, no
dependencies: CI runs it before the virtualenv exists.

MUSTER_PRETEND_MISSING=chromium,fonts-thai-tlwg makes this machine look as if those packages
were absent, to try the skip path without uninstalling anything (tests/test_system_packages.py).
"""

import glob
import os
import shutil
import subprocess
import sys

# Package -> (files, any of which shows it is installed; what needs it). Files rather than dpkg,
# so the check also holds on a machine that installed them another way.
PACKAGES = {
    "postgresql": (
        ["/usr/lib/postgresql/*/bin/initdb", "initdb"],
        "the second run of the suite on PostgreSQL",
    ),
    "chromium": (["/usr/bin/chromium"], "browser journeys (tests/browser)"),
    # Certificates embed TrueType fonts: TLWG for Thai, WenQuanYi Zen Hei for Chinese and Korean
    # (ReportLab cannot embed Noto CJK's CFF outlines; see certificates/pdf.py). Noto CJK is what
    # chromium draws CJK pages with in the browser journeys.
    "fonts-dejavu-core": (
        ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
        "certificate PDFs",
    ),
    "fonts-thai-tlwg": (
        ["/usr/share/fonts/truetype/tlwg/Garuda.ttf", "/usr/share/fonts/truetype/tlwg/Loma.ttf"],
        "certificate PDFs",
    ),
    "fonts-wqy-zenhei": (["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"], "certificate PDFs"),
    "fonts-noto-cjk": (
        ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"],
        "Chinese, Korean and Japanese text in browser journeys",
    ),
    "gettext": (["msgfmt"], "compiling translation catalogues (compilemessages)"),
    "nginx": (["nginx", "/usr/sbin/nginx"], "tests that run nginx"),
    "redis-server": (["redis-server"], "tests that run a Redis server"),
    "wrk": (
        ["wrk"],
        "the page benchmark's load (benchmarks/bench_pages.py; else a weak Python one)",
    ),
}


def pretended_missing():
    value = os.environ.get("MUSTER_PRETEND_MISSING", "")
    return {name.strip() for name in value.split(",") if name.strip()}


def is_installed(package):
    if package in pretended_missing():
        return False
    for probe in PACKAGES[package][0]:
        if "/" in probe:
            if glob.glob(probe):
                return True
        elif shutil.which(probe) or shutil.which(probe, path="/usr/sbin:/sbin"):
            return True
    return False


def missing():
    return [package for package in PACKAGES if not is_installed(package)]


def skip_reason(package):
    """The one line pytest prints for every test skipped for want of `package`."""
    return (
        f"the Debian package {package} is not installed ({PACKAGES[package][1]}): "
        f"apt-get install {package}, or run scripts/system_packages.py install"
    )


def _apt_command():
    """How to call apt-get here, or None when this process may not install packages."""
    apt = shutil.which("apt-get")
    if os.environ.get("MUSTER_NO_APT") or not apt:
        return None
    if os.geteuid() == 0:
        return [apt]
    sudo = shutil.which("sudo")
    # -n: never wait for a password; a developer's machine without passwordless sudo simply
    # skips the tests that need what is missing.
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True).returncode == 0:
        return [sudo, "-n", apt]
    return None


def install():
    """Install what is missing when possible; return the packages still missing."""
    absent = missing()
    if not absent:
        return []
    apt = _apt_command()
    installable = [p for p in absent if p not in pretended_missing()]
    if apt is not None and installable:
        print(f"Installing Debian packages: {' '.join(installable)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        options = ["-y", "-qq", "--no-install-recommends"]
        try:
            subprocess.run([*apt, "update", "-qq"], check=True, env=env)
            subprocess.run(
                [*apt, "install", *options, *installable],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )
        except subprocess.CalledProcessError as error:
            print(f"apt-get failed ({error}); the tests needing these packages are skipped.")
        absent = missing()
    return absent


def report(absent):
    for package in absent:
        print(f"Missing Debian package {package}: skipping {PACKAGES[package][1]}.", flush=True)


def main(argv):
    command = argv[1] if len(argv) > 1 else "check"
    if command == "install":
        report(install())
    elif command == "check":
        report(missing())
    elif command == "list":
        print(" ".join(PACKAGES))
    else:
        print(f"usage: {argv[0]} [check|install|list]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
