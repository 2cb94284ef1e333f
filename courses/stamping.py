"""Stamp a PDF on every page with who downloaded it, so a leaked copy names its source.

Made per download, in memory; the stored document is never changed.
"""

import functools
import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas

LABEL_COLOURS = {
    "TLP:AMBER": Color(0.85, 0.45, 0.0),
    "TLP:RED": Color(0.8, 0.0, 0.0),
}

# TrueType fonts tried in order for a stamp line, so officers' names in Thai, Chinese or Korean
# print as themselves (Debian's fonts-dejavu, fonts-tlwg-garuda, fonts-wqy-zenhei). Missing
# fonts are skipped; Helvetica is the last resort (non-Latin letters then print as boxes, but
# the e-mail address always prints).
FONT_CANDIDATES = [
    ("MusterStampDejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    ("MusterStampGaruda", "/usr/share/fonts/truetype/tlwg/Garuda.ttf", 0),
    ("MusterStampZenHei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
]
FALLBACK_FONT = "Helvetica"


@functools.cache
def _fonts():
    loaded = []
    for name, path, index in FONT_CANDIDATES:
        if not Path(path).exists():
            continue
        try:
            font = TTFont(name, path, subfontIndex=index)
        except (OSError, TTFError):  # an unreadable font is simply not used
            continue
        pdfmetrics.registerFont(font)
        loaded.append((name, set(font.face.charToGlyph)))
    return loaded


def font_for(text):
    """The first font with a glyph for every character of `text`."""
    needed = {ord(ch) for ch in text if not ch.isspace()}
    for name, covered in _fonts():
        if needed <= covered:
            return name
    return FALLBACK_FONT


def _overlay(width, height, lines, label):
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height))
    colour = LABEL_COLOURS.get(label, Color(0.3, 0.3, 0.3))
    c.setFillColor(colour)
    c.setFont("Helvetica-Bold", 9)
    c.drawString(24, height - 18, label)
    c.drawRightString(width - 24, height - 18, label)
    y = 14 + 10 * (len(lines) - 1)
    for line in lines:
        c.setFont(font_for(line), 7.5)
        c.drawString(24, y, line)
        y -= 10
    c.save()
    buffer.seek(0)
    return PdfReader(buffer).pages[0]


def stamp_pdf(source, *, lines, label):
    """Return the bytes of `source` (a binary file object) with `lines` and `label` on every
    page: the label at the top corners, the lines along the bottom margin."""
    # pypdf 7 merges only into pages that belong to a writer: clone the source into one.
    writer = PdfWriter(clone_from=PdfReader(source))
    overlays = {}
    for page in writer.pages:
        box = page.mediabox
        size = (float(box.width), float(box.height))
        if size not in overlays:
            overlays[size] = _overlay(*size, lines, label)
        page.merge_page(overlays[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_lines(user, *, label, when):
    """The text stamped for `user` (name, agency, e-mail, date); plain ASCII where possible."""
    profile = getattr(user, "officer_profile", None)
    agency = str(profile.agency) if profile is not None and profile.agency_id else "-"
    name = user.get_full_name() or user.email
    return [
        f"{label} - downloaded by {name} <{user.email}>, {agency}, on {when:%Y-%m-%d %H:%M} UTC.",
        "Handle according to its TLP label; do not share beyond the audience it allows.",
    ]
