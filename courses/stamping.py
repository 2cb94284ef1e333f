"""Stamp a PDF on every page with who downloaded it, so a leaked copy names its source.

Made per download, in memory; the stored document is never changed.
"""

import io

from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas

LABEL_COLOURS = {
    "TLP:AMBER": Color(0.85, 0.45, 0.0),
    "TLP:RED": Color(0.8, 0.0, 0.0),
}


def _overlay(width, height, lines, label):
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height))
    colour = LABEL_COLOURS.get(label, Color(0.3, 0.3, 0.3))
    c.setFillColor(colour)
    c.setFont("Helvetica-Bold", 9)
    c.drawString(24, height - 18, label)
    c.drawRightString(width - 24, height - 18, label)
    c.setFont("Helvetica", 7.5)
    y = 14 + 10 * (len(lines) - 1)
    for line in lines:
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
