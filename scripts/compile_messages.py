"""Compile locale/*/LC_MESSAGES/*.po into the .mo files Django reads, without system gettext.

The .mo files are generated data and never committed (.gitignore): `make install` and the test
suite run this, and it rebuilds only catalogues whose .po is newer than their .mo. polib writes
only translated, non-fuzzy entries, as msgfmt does.

    python scripts/compile_messages.py [--force]
"""

import os
import sys
import tempfile
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"


def compile_messages(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Compile every stale catalogue under locale_dir; return the .mo files written."""
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # Written beside the target, then renamed: parallel test workers may compile at once and
        # must never read a half-written file.
        fd, tmp_name = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        os.close(fd)
        try:
            polib.pofile(str(po_path)).save_as_mofile(tmp_name)
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, mo_path)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_messages(force="--force" in sys.argv[1:]):
        print(f"compiled {path.relative_to(BASE_DIR)}")
