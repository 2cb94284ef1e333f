"""Stamp a PDF on every page with who downloaded it, so a leaked copy names its source.

Made per download, in memory; the stored document is never changed.
"""

import functools
import io
import unicodedata
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
# fonts are skipped. Each character takes the first font that has it; one that none has (most
# emoji) prints as PLACEHOLDER; Helvetica is the last resort when no font is installed at all
# (the e-mail address always prints). Arabic is shaped and right-to-left runs are laid out in
# visual order (shape_arabic, visual_order), so Arabic and Hebrew names read correctly.
FONT_CANDIDATES = [
    ("MusterStampDejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    ("MusterStampGaruda", "/usr/share/fonts/truetype/tlwg/Garuda.ttf", 0),
    ("MusterStampZenHei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
]
FALLBACK_FONT = "Helvetica"
# Printed in place of a character no stamp font draws (most emoji), so the gap is visible
# instead of an empty box or nothing: U+FFFD, the Unicode replacement character.
PLACEHOLDER = "\N{REPLACEMENT CHARACTER}"
# Dropped before drawing: joiners, variation selectors and skin-tone modifiers only shape an
# emoji sequence, which prints as one placeholder.
_INVISIBLE = {0x200C, 0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)}


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


_ALEFS = ("\u0622", "\u0623", "\u0625", "\u0627")


@functools.cache
def _arabic_forms():
    """{letter: {"isolated"|"final"|"initial"|"medial": presentation form}} and the lam-alef
    ligatures {(lam, alef): {form: ligature}}, read from the Unicode database's
    decompositions of the Arabic presentation forms (no shaping library needed)."""
    forms, ligatures = {}, {}
    for code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]:
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) < 2 or parts[0] not in ("<isolated>", "<final>", "<initial>", "<medial>"):
            continue
        form, letters = parts[0].strip("<>"), tuple(chr(int(p, 16)) for p in parts[1:])
        if len(letters) == 1:
            forms.setdefault(letters[0], {}).setdefault(form, chr(code))
        elif len(letters) == 2 and letters[0] == "\u0644" and letters[1] in _ALEFS:
            ligatures.setdefault(letters, {}).setdefault(form, chr(code))
    return forms, ligatures


def shape_arabic(text):
    """Arabic letters in their joined (initial, medial, final) presentation forms, lam-alef as
    one ligature; other text unchanged. Logical order in, logical order out."""
    forms, ligatures = _arabic_forms()

    def joins_next(char):
        return (
            char == "\u0640" or "medial" in forms.get(char, {}) or "initial" in forms.get(char, {})
        )

    def joins_prev(char):
        return char == "\u0640" or "final" in forms.get(char, {})

    def neighbour(i, step):
        i += step
        while 0 <= i < len(text) and unicodedata.category(text[i]) == "Mn":
            i += step
        return text[i] if 0 <= i < len(text) else None

    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char not in forms:
            out.append(char)
            i += 1
            continue
        before, after = neighbour(i, -1), neighbour(i, 1)
        joined_before = before is not None and joins_next(before) and joins_prev(char)
        if (char, after) in ligatures:
            ligature = ligatures[(char, after)]
            out.append(ligature.get("final" if joined_before else "isolated", char + after))
            i = text.index(after, i + 1) + 1
            continue
        joined_after = after is not None and joins_prev(after) and joins_next(char)
        form = {
            (True, True): "medial",
            (True, False): "final",
            (False, True): "initial",
        }.get((joined_before, joined_after), "isolated")
        out.append(forms[char].get(form) or forms[char].get("isolated", char))
        i += 1
    return "".join(out)


def _rtl(char):
    return unicodedata.bidirectional(char) in ("R", "AL")


def visual_order(text):
    """Text in left-to-right drawing order for a left-to-right line: each right-to-left run
    (Arabic, Hebrew, with the spaces and punctuation between its letters) is reversed, numbers
    inside it keep their own order. A simplification of the Unicode bidi algorithm enough for
    names in an English line."""
    out, i = [], 0
    while i < len(text):
        if not _rtl(text[i]):
            out.append(text[i])
            i += 1
            continue
        end = i
        j = i
        while j < len(text) and (_rtl(text[j]) or not text[j].isalpha()):
            if _rtl(text[j]) or unicodedata.category(text[j]) == "Mn":
                end = j + 1
            j += 1
        run = text[i:end]
        pieces, k = [], 0
        while k < len(run):  # digits stay left to right inside the reversed run
            m = k + 1
            if run[k].isdigit():
                while m < len(run) and run[m].isdigit():
                    m += 1
            pieces.append(run[k:m])
            k = m
        out.append(
            "".join(piece[::-1] if not piece[0].isdigit() else piece for piece in reversed(pieces))
        )
        i = end
    return "".join(out)


def printable_runs(text):
    """[(font, text)] for drawing `text`: Arabic shaped, right-to-left runs in visual order,
    each character in the first stamp font that has it, and a character none has replaced by
    the visible PLACEHOLDER."""
    fonts = _fonts()
    text = "".join(ch for ch in text if ord(ch) not in _INVISIBLE)
    text = visual_order(shape_arabic(text))
    runs = []
    for char in text:
        font = next((name for name, covered in fonts if ord(char) in covered), None)
        if font is None and char.isspace():
            font = fonts[0][0] if fonts else FALLBACK_FONT
        if font is None:
            char = PLACEHOLDER
            font = next((n for n, covered in fonts if ord(PLACEHOLDER) in covered), FALLBACK_FONT)
            if font == FALLBACK_FONT:
                char = "?"
            if runs and runs[-1][1].endswith(char):
                continue  # one placeholder for an emoji sequence, not one per part
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


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
        x = 24
        for font, run in printable_runs(line):
            c.setFont(font, 7.5)
            c.drawString(x, y, run)
            x += pdfmetrics.stringWidth(run, font, 7.5)
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
