"""The strict public Content Security Policy holds only if no project template writes inline
script or style: every script is a file carrying the nonce, every style rule is in muster.css."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


def test_templates_were_found():
    assert len(TEMPLATES) > 20


def test_no_inline_script_and_every_script_carries_the_nonce():
    offenders = []
    for path in TEMPLATES:
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            if 'type="application/json"' in tag:
                continue  # data, never executed
            if "src=" not in tag or 'nonce="{{ csp_nonce }}"' not in tag:
                offenders.append(f"{path.name}: {tag}")
    assert offenders == []


def test_no_style_attributes_style_elements_or_event_handlers():
    offenders = []
    for path in TEMPLATES:
        text = path.read_text()
        for pattern in (r"\sstyle=", r"<style\b", r"\son[a-z]+=", r"javascript:"):
            if re.search(pattern, text):
                offenders.append(f"{path.name}: {pattern}")
    assert offenders == []
