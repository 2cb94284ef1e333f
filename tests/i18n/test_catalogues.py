"""Every language Muster offers is complete: a string of ours missing, empty or fuzzy in any
offered language fails this test.

The strings are extracted with `manage.py makemessages` (the same ignores as the translation
pass) into a temporary copy of the project, never into locale/, and each merged catalogue is
read back with polib: msgmerge leaves a new string empty, or fuzzy when it guessed from a
similar one. A new string on a branch fails here until the translation pass after merge.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
IGNORES = ["--ignore=.venv/*", "--ignore=tests/*", "--ignore=benchmarks/*", "--ignore=var/*"]
OFFERED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed: catalogue check skipped")
    copy = tmp_path_factory.mktemp("catalogues") / "muster"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "tests", "benchmarks", "__pycache__", "*.mo", "node_modules"
        ),
        symlinks=True,
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "muster.settings.test", "PYTHONPATH": ""}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all", *IGNORES, "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy / "locale"


def test_every_offered_language_has_a_catalogue():
    for code in OFFERED:
        assert (
            BASE_DIR / "locale" / translation.to_locale(code) / "LC_MESSAGES" / "django.po"
        ).exists()


@pytest.mark.parametrize("code", OFFERED)
def test_no_string_is_missing_empty_or_fuzzy(extracted, code):
    po = polib.pofile(str(extracted / translation.to_locale(code) / "LC_MESSAGES" / "django.po"))
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"missing: {entry.msgid!r}")
    assert not problems, (
        f"{len(problems)} strings not translated into {code} "
        f"(locale/{translation.to_locale(code)}/LC_MESSAGES/django.po):\n"
        + "\n".join(problems[:50])
    )
