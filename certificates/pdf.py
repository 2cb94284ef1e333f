"""Certificate PDFs, drawn with ReportLab.

- Fonts: TrueType only, embedded as subsets (ReportLab cannot embed CFF/OpenType outlines such
  as Noto CJK). DejaVu Sans for Latin, Cyrillic and Greek, TLWG Garuda (or Loma) for Thai,
  WenQuanYi Zen Hei for Chinese and Korean. Each text is split into runs by the first font
  whose character map holds the glyph, so a mixed name prints without missing glyphs.
- The same certificate gives the same bytes: the canvas runs in ReportLab's invariant mode
  (fixed document id and creation date) and nothing but the certificate's own data is drawn.
- The QR code (segno) is drawn as vector rectangles, one per horizontal run of dark modules:
  no raster image to encode, and sharp at any zoom.
"""

import io
import string
import threading
from dataclasses import dataclass, field
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, LETTER, landscape, portrait
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas

from muster import dates

# Binary (zlib only) streams: ASCII85 on top is pure-Python, ~5% of a render, and only mattered
# for 7-bit mail transports. A process-wide ReportLab setting; this app is its only user.
rl_config.useA85 = 0

# (ReportLab name, candidate files, Debian package, TrueType collection index)
FONT_SPECS = {
    "latin": (
        "MusterDejaVuSans",
        ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
        "fonts-dejavu-core",
        0,
    ),
    "latin-bold": (
        "MusterDejaVuSans-Bold",
        ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
        "fonts-dejavu-core",
        0,
    ),
    "thai": (
        "MusterThai",
        [
            "/usr/share/fonts/truetype/tlwg/Garuda.ttf",
            "/usr/share/fonts/truetype/tlwg/Loma.ttf",
        ],
        "fonts-thai-tlwg",
        0,
    ),
    "thai-bold": (
        "MusterThai-Bold",
        [
            "/usr/share/fonts/truetype/tlwg/Garuda-Bold.ttf",
            "/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf",
        ],
        "fonts-thai-tlwg",
        0,
    ),
    "cjk": (
        "MusterZenHei",
        ["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"],
        "fonts-wqy-zenhei",
        0,
    ),
}
# Fallback order: the first font holding a character draws it.
REGULAR_CHAIN = ("latin", "thai", "cjk")
BOLD_CHAIN = ("latin-bold", "thai-bold", "cjk")  # Zen Hei has no bold face

INK = Color(0.11, 0.16, 0.25)
ACCENT = Color(0.55, 0.42, 0.16)
MUTED = Color(0.35, 0.38, 0.45)
QR_MASK = 2
STAMP = Color(0.75, 0.1, 0.1, alpha=0.35)


class FontMissing(ImproperlyConfigured):
    """A certificate font is not installed; `package` names the Debian package that has it."""

    def __init__(self, message, package=""):
        super().__init__(message)
        self.package = package


@dataclass
class _Font:
    name: str
    cmap: frozenset


_fonts = {}
_fonts_lock = threading.Lock()


def _load_fonts():
    """Register the fonts with ReportLab once per process and remember their character maps."""
    if _fonts:
        return _fonts
    with _fonts_lock:
        if _fonts:
            return _fonts
        loaded = {}
        for key, (name, candidates, package, index) in FONT_SPECS.items():
            path = next((Path(p) for p in candidates if Path(p).exists()), None)
            if path is None:
                raise FontMissing(
                    f"Certificate font missing: none of {', '.join(candidates)} exists. "
                    f"Install the Debian package {package} (apt-get install {package}).",
                    package=package,
                )
            font = TTFont(name, str(path), subfontIndex=index)
            pdfmetrics.registerFont(font)
            loaded[key] = _Font(name=name, cmap=frozenset(font.face.charToGlyph))
        _fonts.update(loaded)
    return _fonts


def text_runs(text, bold=False):
    """Split text into (font name, text) runs, each drawable by one embedded font.

    Spaces and punctuation stay in the run they are in when its font has them, so a name is
    not cut into more runs than its scripts need.
    """
    fonts = _load_fonts()
    chain = [fonts[key] for key in (BOLD_CHAIN if bold else REGULAR_CHAIN)]
    runs = []
    current = None
    buffer = []
    for char in text:
        code = ord(char)
        if current is not None and code in current.cmap:
            buffer.append(char)
            continue
        font = next((f for f in chain if code in f.cmap), chain[0])
        if font is not current:
            if buffer:
                runs.append((current.name, "".join(buffer)))
            current, buffer = font, []
        buffer.append(char)
    if buffer:
        runs.append((current.name, "".join(buffer)))
    return runs


def text_width(text, size, bold=False):
    return sum(pdfmetrics.stringWidth(run, name, size) for name, run in text_runs(text, bold))


def _draw_runs(canvas, x, y, text, size, bold=False):
    for name, run in text_runs(text, bold):
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, name, size)


def draw_centred(canvas, centre_x, y, text, size, bold=False):
    _draw_runs(canvas, centre_x - text_width(text, size, bold) / 2, y, text, size, bold)


def wrap(text, max_width, size, bold=False):
    """Greedy wrap at spaces; a single word longer than the line stays whole."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold) > max_width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return lines


def wrap_url(url, max_width, size):
    """The URL in lines no wider than max_width, broken after a "/", "?", "&" or "-" where it
    can be and between any two characters where it cannot: every character is printed, none is
    cut off at the page edge, and joining the lines gives the URL back."""
    pieces, piece = [], ""
    for char in url:
        piece += char
        if char in "/?&-":
            pieces.append(piece)
            piece = ""
    if piece:
        pieces.append(piece)
    lines, line = [], ""
    for piece in pieces:
        if text_width(line + piece, size) <= max_width:
            line += piece
            continue
        if line:
            lines.append(line)
            line = ""
        for char in piece:
            if line and text_width(line + char, size) > max_width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


# --- What is printed -------------------------------------------------------------------------


@dataclass
class SignatoryData:
    name: str
    title: str = ""
    signature: object = None  # a wagtailimages Image or None


@dataclass
class CertificateData:
    """Everything drawn on one certificate, independent of the database."""

    heading: str
    wording: str
    officer_name: str
    agency: str
    course_title: str
    start_date: object
    end_date: object
    hours: object
    city: str
    serial: str
    verification_url: str
    language: str = "en"
    page_size: str = "A4"
    orientation: str = "landscape"
    status: str = "valid"
    background: object = None
    logo: object = None
    signatories: list = field(default_factory=list)
    # A bilingual certificate: the second language's heading, wording and course title.
    second_language: str = ""
    second_heading: str = ""
    second_wording: str = ""
    second_course_title: str = ""


def course_title_in(course, language, default):
    """The course's published title in `language` (its Wagtail translation), else `default`."""
    if course is None or not language:
        return default
    found = (
        type(course)
        .objects.live()
        .filter(
            translation_key=course.translation_key,
            locale__language_code=language,
            alias_of__isnull=True,
        )
        .values_list("title", flat=True)
        .first()
    )
    return found or default


def format_dates(start, end):
    """The session's days in the active language (the template's), from CLDR: a Thai
    certificate prints the Buddhist Era year (muster/dates.py)."""
    return dates.format_date_range(start, end)


def format_hours(hours):
    value = float(hours)
    return f"{value:g}" if value != int(value) else str(int(value))


SEPARATOR = "\N{MIDDLE DOT}"


def fill_placeholders(wording, values):
    """Replace the known placeholders; anything else is printed as written (the template form
    refuses unknown placeholders, this only keeps an old template from breaking a render)."""
    out = []
    try:
        parsed = list(string.Formatter().parse(wording))
    except ValueError:
        return wording
    left_empty = False
    for literal, name, spec, conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        if name in values and not spec and not conversion:
            value = str(values[name])
            left_empty = left_empty or not value.strip()
            out.append(value)
        else:
            out.append("{" + name + "}")
    if left_empty:
        return _drop_empty_parts("".join(out))
    return "".join(out)


def _drop_empty_parts(line):
    """A line whose placeholder was empty (a remote session has no city) loses the empty part
    between its " · " separators, so it never prints "dates ·  · hours"."""
    parts = [part.strip() for part in line.split(SEPARATOR)]
    return f" {SEPARATOR} ".join(part for part in parts if part)


def data_for(certificate):
    """CertificateData for a stored certificate (its template, its copied facts)."""
    template = certificate.template
    return CertificateData(
        heading=template.heading,
        wording=template.wording,
        officer_name=certificate.officer_name,
        agency=certificate.agency_name,
        course_title=certificate.course_title,
        start_date=certificate.start_date,
        end_date=certificate.end_date,
        hours=certificate.hours,
        city=certificate.city,
        serial=certificate.serial,
        verification_url=certificate.get_verification_url(),
        language=template.language,
        page_size=template.page_size,
        orientation=template.orientation,
        status=certificate.status,
        background=template.background,
        logo=template.logo,
        signatories=[
            SignatoryData(s.name, s.title, s.signature) for s in template.signatories.all()
        ],
        second_language=template.second_language,
        second_heading=template.second_heading,
        second_wording=template.second_wording,
        second_course_title=course_title_in(
            certificate.session.course if template.second_language else None,
            template.second_language,
            certificate.course_title,
        ),
    )


def sample_data(template, signatories=None):
    """Sample facts for the template preview in the admin."""
    import datetime

    from django.urls import reverse

    prefix = settings.MUSTER_CERTIFICATE_PREFIX
    if signatories is None:
        signatories = [
            SignatoryData(s.name, s.title, s.signature) for s in template.signatories.all()
        ]
    return CertificateData(
        heading=template.heading,
        wording=template.wording,
        officer_name="Somchai Srisuk (สมชาย ศรีสุข)",
        agency="Royal Thai Police",
        course_title="Advanced virtual-asset investigations",
        start_date=datetime.date(2023, 11, 29),
        end_date=datetime.date(2023, 12, 1),
        hours=21,
        city="Bangkok",
        serial=f"{prefix}-2023-000123",
        verification_url=settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("certificates:verify", kwargs={"code": "SAMPLE-PREVIEW-ONLY"}),
        language=template.language,
        page_size=template.page_size,
        orientation=template.orientation,
        background=template.background,
        logo=template.logo,
        signatories=signatories,
        second_language=template.second_language,
        second_heading=template.second_heading,
        second_wording=template.second_wording,
        second_course_title="Advanced virtual-asset investigations",
    )


# --- Drawing ---------------------------------------------------------------------------------


def _page_size(data):
    size = LETTER if data.page_size == "letter" else A4
    return landscape(size) if data.orientation == "landscape" else portrait(size)


def _image_reader(image):
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            return ImageReader(io.BytesIO(handle.read()))
    except (OSError, ValueError):
        # A missing file must not stop a certificate from being printed.
        return None


def _draw_image_fit(canvas, image, x, y, max_w, max_h, centre=True):
    reader = _image_reader(image)
    if reader is None:
        return
    iw, ih = reader.getSize()
    scale = min(max_w / iw, max_h / ih)
    w, h = iw * scale, ih * scale
    dx = (max_w - w) / 2 if centre else 0
    canvas.drawImage(reader, x + dx, y, w, h, mask="auto")


def draw_qr(canvas, url, x, y, size):
    """The QR code of url with its lower-left corner at (x, y), as filled rectangles.

    One `re` operator per horizontal run of dark modules, written in module units under a
    scaling transform so every number is a small integer. A fixed mask skips segno's mask
    search (the slow part of encoding); any mask gives a valid, readable code.
    """
    qr = segno.make(url, error="m", micro=False, mask=QR_MASK, boost_error=False)
    rows = qr.matrix  # one bytearray per row, 0x0 light, anything else dark; no border
    count = len(rows)
    ops = []
    for r, row in enumerate(rows):
        bottom = count - r - 1
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                ops.append(f"{start} {bottom} {c - start} 1 re")
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColor(INK)
    canvas.translate(x, y)
    canvas.scale(size / count, size / count)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


def _values(data, course_title=None):
    """The placeholders' values in the active language (dates from CLDR)."""
    return {
        "officer_name": data.officer_name,
        "agency": data.agency,
        "course_title": data.course_title if course_title is None else course_title,
        "dates": format_dates(data.start_date, data.end_date),
        "hours": format_hours(data.hours),
        "city": data.city,
        "serial": data.serial,
    }


def _draw_wording(canvas, wording, values, centre, y, text_width_max, scale=1.0):
    """Draw the wording's lines centred from y down; returns the y below the last line."""
    for raw_line in wording.splitlines():
        stripped = raw_line.strip()
        if not stripped:
            y -= 10 * scale
            continue
        if stripped == "{officer_name}":
            size, bold, gap = 28, True, 38
            canvas.setFillColor(ACCENT)
        elif stripped == "{course_title}":
            size, bold, gap = 18, True, 26
            canvas.setFillColor(INK)
        else:
            size, bold, gap = 13, False, 20
            canvas.setFillColor(INK)
        size, gap = max(8, round(size * scale)), gap * scale
        text = fill_placeholders(stripped, values)
        # Long names shrink to fit one line rather than wrap in the middle.
        while bold and size > 12 * scale and text_width(text, size, bold) > text_width_max:
            size -= 1
        for line in wrap(text, text_width_max, size, bold):
            draw_centred(canvas, centre, y - size, line, size, bold)
            y -= gap
    return y


def _draw_page(canvas, data):
    width, height = _page_size(data)
    margin = 36
    centre = width / 2

    if data.background is not None:
        _draw_image_fit(canvas, data.background, 0, 0, width, height)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(2.5)
    canvas.rect(margin / 2, margin / 2, width - margin, height - margin)
    canvas.setLineWidth(0.8)
    canvas.rect(margin / 2 + 6, margin / 2 + 6, width - margin - 12, height - margin - 12)

    y = height - margin - 20
    if data.logo is not None:
        _draw_image_fit(canvas, data.logo, centre - 60, y - 56, 120, 56)
        y -= 70

    canvas.setFillColor(INK)
    bilingual = bool(data.second_language and data.second_wording.strip())
    # A bilingual certificate prints both blocks a size smaller so they share the page.
    scale = 0.72 if bilingual else 1.0
    draw_centred(canvas, centre, y - 30 * scale, data.heading, round(30 * scale), bold=True)
    y -= 70 * scale

    text_width_max = width - 2 * margin - 60
    y = _draw_wording(canvas, data.wording, _values(data), centre, y, text_width_max, scale)
    if bilingual:
        with translation.override(data.second_language):
            y -= 8
            if data.second_heading:
                draw_centred(canvas, centre, y - 20, data.second_heading, 20, bold=True)
                y -= 34
            values = _values(data, course_title=data.second_course_title)
            y = _draw_wording(canvas, data.second_wording, values, centre, y, text_width_max, scale)
    canvas.setFillColor(INK)

    # Signatories along the bottom, right of the QR code.
    qr_size = 78
    bottom = margin + 14
    if data.signatories:
        left = margin + qr_size + 40
        right = width - margin - 10
        slot = (right - left) / len(data.signatories)
        for i, signatory in enumerate(data.signatories):
            cx = left + slot * i + slot / 2
            line_y = bottom + 40
            if signatory.signature is not None:
                _draw_image_fit(canvas, signatory.signature, cx - 70, line_y + 2, 140, 40)
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.line(cx - 80, line_y, cx + 80, line_y)
            draw_centred(canvas, cx, line_y - 14, signatory.name, 11, bold=True)
            if signatory.title:
                canvas.setFillColor(MUTED)
                draw_centred(canvas, cx, line_y - 28, signatory.title, 9)
                canvas.setFillColor(INK)

    # The verification link in full under the QR code, on lines of its own (wrapped, never
    # cut off), left of the centred issuer line; a long link lifts the QR code to make room.
    url_size, url_leading = 7, 8.5
    url_lines = wrap_url(data.verification_url, width / 2 - margin - 90, url_size)
    lift = url_leading * (len(url_lines) - 1)
    draw_qr(canvas, data.verification_url, margin, bottom + lift, qr_size)
    canvas.setFillColor(MUTED)
    serial = _("Serial: %(serial)s") % {"serial": data.serial}
    _draw_runs(canvas, margin, bottom + lift - 12, serial, 8)
    y = bottom + lift - 22
    for line in url_lines:
        _draw_runs(canvas, margin, y, line, url_size)
        y -= url_leading
    issuer = _("Issued by %(programme)s") % {"programme": settings.MUSTER_PROGRAMME_NAME}
    if data.second_language and data.second_wording.strip():
        with translation.override(data.second_language):
            second = _("Issued by %(programme)s") % {"programme": settings.MUSTER_PROGRAMME_NAME}
        if second != issuer:
            issuer = f"{issuer} {SEPARATOR} {second}"
    draw_centred(canvas, centre, margin / 2 + 12, issuer, 8)

    if data.status in ("revoked", "superseded"):
        label = _("REVOKED") if data.status == "revoked" else _("REPLACED")
        canvas.saveState()
        canvas.setFillColor(STAMP)
        canvas.translate(centre, height / 2)
        canvas.rotate(25)
        draw_centred(canvas, 0, 0, label, 90, bold=True)
        canvas.restoreState()


def render(data):
    """The certificate as PDF bytes; the same data always gives the same bytes."""
    _load_fonts()
    buffer = io.BytesIO()
    with translation.override(data.language):
        # The initial font would otherwise be Helvetica, a font the PDF names but cannot embed.
        canvas = pdfcanvas.Canvas(
            buffer,
            pagesize=_page_size(data),
            invariant=1,
            initialFontName=FONT_SPECS["latin"][0],
        )
        canvas.setTitle(f"{data.heading} {data.serial}")
        canvas.setAuthor(settings.MUSTER_PROGRAMME_NAME)
        canvas.setCreator("Muster")
        canvas.setSubject(data.officer_name)
        _draw_page(canvas, data)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def render_certificate(certificate):
    return render(data_for(certificate))
