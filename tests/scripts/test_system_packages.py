"""scripts/system_packages.py: what `make test` and CI install, and the skip path without them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import system_packages
from tests.conftest import require_package

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_package_the_suite_needs_is_listed():
    assert set(system_packages.PACKAGES) >= {
        "postgresql",
        "chromium",
        "fonts-noto-cjk",
        "fonts-thai-tlwg",
        "fonts-wqy-zenhei",
        "fonts-dejavu-core",
        "gettext",
        "nginx",
        "redis-server",
    }


def test_a_package_pretended_missing_is_missing(monkeypatch):
    monkeypatch.setenv("MUSTER_PRETEND_MISSING", "chromium, gettext")
    assert not system_packages.is_installed("chromium")
    assert {"chromium", "gettext"} <= set(system_packages.missing())


def test_a_missing_package_skips_with_its_name(monkeypatch):
    monkeypatch.setenv("MUSTER_PRETEND_MISSING", "chromium")
    with pytest.raises(pytest.skip.Exception, match="Debian package chromium is not installed"):
        require_package("chromium")


def test_install_runs_apt_get_for_what_is_missing_as_root(monkeypatch):
    calls = []
    monkeypatch.delenv("MUSTER_NO_APT", raising=False)
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 0)
    monkeypatch.setattr(system_packages.shutil, "which", lambda name, path=None: f"/usr/bin/{name}")
    installed = set()
    monkeypatch.setattr(
        system_packages, "is_installed", lambda package: package != "nginx" or "nginx" in installed
    )

    def run(command, **kwargs):
        calls.append(command)
        if "install" in command:
            installed.add("nginx")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(system_packages.subprocess, "run", run)
    assert system_packages.install() == []
    assert calls[0] == ["/usr/bin/apt-get", "update", "-qq"]
    assert calls[1][:2] == ["/usr/bin/apt-get", "install"]
    assert calls[1][-1] == "nginx"


def test_install_refuses_apt_when_told_not_to(monkeypatch):
    monkeypatch.setenv("MUSTER_NO_APT", "1")
    monkeypatch.setattr(system_packages, "is_installed", lambda package: package != "nginx")

    def run(command, **kwargs):
        raise AssertionError(f"ran {command}")

    monkeypatch.setattr(system_packages.subprocess, "run", run)
    assert system_packages.install() == ["nginx"]


def test_install_without_root_or_passwordless_sudo_only_reports(monkeypatch):
    monkeypatch.delenv("MUSTER_NO_APT", raising=False)
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(system_packages, "is_installed", lambda package: package != "nginx")
    monkeypatch.setattr(system_packages.shutil, "which", lambda name, path=None: f"/usr/bin/{name}")
    calls = []

    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 1)  # sudo -n true: a password is needed

    monkeypatch.setattr(system_packages.subprocess, "run", run)
    assert system_packages.install() == ["nginx"]
    assert calls == [["/usr/bin/sudo", "-n", "true"]]


def test_certificate_tests_skip_naming_the_missing_font_package():
    """The whole path: on a machine without TLWG, a test drawing a certificate is skipped with
    one summary line naming fonts-thai-tlwg, instead of failing with FontMissing."""
    env = {**os.environ, "MUSTER_PRETEND_MISSING": "fonts-thai-tlwg"}
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/certificates/test_pdf.py::test_text_runs_split_by_script",
            "-q",
            "-rs",
            "-n",
            "0",
            "-p",
            "no:randomly",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "Debian package fonts-thai-tlwg is not installed" in result.stdout
