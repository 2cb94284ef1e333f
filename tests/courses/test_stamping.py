"""The TLP stamp prints right-to-left names in reading order and marks what it cannot draw."""

import io
import unicodedata

import pypdf
import pytest
from reportlab.pdfgen import canvas

from courses import stamping

pytestmark = pytest.mark.skipif(
    not stamping._fonts(), reason="no stamp font installed (fonts-dejavu-core)"
)

ARABIC = "محمد علي"
HEBREW = "שלום עולם"
UNICORN = "\N{UNICORN FACE}"  # no stamp font has it


def _blank_pdf():
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(400, 300))
    page.drawString(50, 150, "Handout")
    page.save()
    buffer.seek(0)
    return buffer


def _stamped_text(line):
    data = stamping.stamp_pdf(_blank_pdf(), lines=[line], label="TLP:AMBER")
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_arabic_letters_are_joined_and_laid_out_right_to_left():
    shaped = stamping.shape_arabic(ARABIC)
    # Presentation forms: initial meem, medial hah, medial meem, final dal; then ain, lam, yeh.
    assert shaped[:4] == "\ufee3\ufea4\ufee4\ufeaa"
    assert unicodedata.normalize("NFKC", shaped) == ARABIC
    drawn = stamping.visual_order(shaped)
    assert drawn == shaped[::-1]  # drawn left to right, read right to left
    assert stamping.shape_arabic("لا") == "\ufefb"  # lam-alef ligature


def test_hebrew_run_is_reversed_but_numbers_and_latin_are_not():
    assert stamping.visual_order(f"by {HEBREW} 12, TLP") == "by םלוע םולש 12, TLP"
    assert stamping.visual_order("Plain text 42") == "Plain text 42"


@pytest.mark.parametrize("name", [ARABIC, HEBREW])
def test_a_right_to_left_name_is_stamped_in_reading_order(name):
    text = _stamped_text(f"TLP:AMBER - downloaded by {name} <a@example.org>")
    # pypdf reads a right-to-left run drawn in visual order back in logical order: the name
    # comes out as written (shaped), which it does not when drawn left to right.
    assert stamping.shape_arabic(name) in text
    assert "a@example.org" in text


def test_an_emoji_without_a_glyph_prints_a_visible_placeholder():
    name = f"Ana {UNICORN} Silva"
    runs = stamping.printable_runs(name)
    assert "".join(run for _font, run in runs) == f"Ana {stamping.PLACEHOLDER} Silva"
    text = _stamped_text(f"downloaded by {name}")
    assert stamping.PLACEHOLDER in text and UNICORN not in text
    assert "Silva" in text


def test_an_emoji_sequence_is_one_placeholder():
    coder = "\N{WOMAN}\u200d\N{PERSONAL COMPUTER}"
    printed = "".join(run for _font, run in stamping.printable_runs(f"x {coder} y"))
    if any(ord("\N{WOMAN}") in covered for _name, covered in stamping._fonts()):
        pytest.skip("a stamp font draws this emoji")
    assert printed == f"x {stamping.PLACEHOLDER} y"


def test_an_emoji_a_font_has_is_printed_as_itself():
    smile = "\N{GRINNING FACE}"
    if not any(ord(smile) in covered for _name, covered in stamping._fonts()):
        pytest.skip("no stamp font draws this emoji")
    # (pypdf cannot map a glyph outside the BMP back to text, so the runs are checked.)
    runs = stamping.printable_runs(f"by Ana {smile}")
    assert "".join(run for _font, run in runs) == f"by Ana {smile}"
