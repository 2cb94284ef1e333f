"""requirements/: production and development dependencies apart, each pinned with hashes."""

import re
from pathlib import Path

import pytest

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements"
DEV_ONLY = {"pytest", "pytest-django", "pytest-xdist", "playwright", "pypdf", "hypothesis"}
DEV_ONLY |= {"ruff", "mypy", "django-stubs"}


def pins(name):
    """{package: (version, number of hashes)} of a compiled requirements file."""
    text = (REQUIREMENTS / name).read_text()
    found = {}
    for block in re.split(r"\n(?=[A-Za-z])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", block)
        if match:
            package = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            found[package] = (match.group(2), block.count("--hash=sha256:"))
    return found


def test_production_installs_no_test_or_lint_tool():
    assert not DEV_ONLY & set(pins("base.txt"))
    assert set(pins("dev.txt")) >= DEV_ONLY


@pytest.mark.parametrize("name", ["base.txt", "dev.txt"])
def test_every_pin_is_exact_and_hashed(name):
    found = pins(name)
    assert len(found) > 20
    unhashed = [package for package, (_version, hashes) in found.items() if not hashes]
    assert unhashed == []


def test_production_and_development_pin_the_same_versions():
    base, dev = pins("base.txt"), pins("dev.txt")
    assert {p: v for p, (v, _h) in base.items()} == {p: dev[p][0] for p in base}
