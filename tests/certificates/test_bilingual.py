"""Bilingual certificates: a template with a second language prints its heading and wording too,
with the dates in that language's calendar and the course's published title in it; the text is
extracted from the PDF, so a missing glyph or font fails here."""

import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from accounts import roles
from certificates import pdf, services
from tests import factories

pytestmark = pytest.mark.django_db

THAI_WORDING = "ขอรับรองว่า\n{officer_name}\nได้ผ่านการอบรมหลักสูตร\n{course_title}\n{dates}"
CHINESE_WORDING = "茲證明\n{officer_name}\n已完成課程\n{course_title}\n{dates}"


def text_of(data):
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


@pytest.fixture
def issue(course_rules):
    lead = factories.user(role=roles.PROGRAMME_LEAD)

    def make(first="Somchai", last="Srisuk", course_translation=None):
        session = factories.delivered_session(day_count=1)
        course = session.course
        if course_translation:
            language, title = course_translation
            copy = course.copy_for_translation(
                Locale.objects.get(language_code=language), copy_parents=True
            )
            copy.title = title
            copy.save_revision().publish()
        officer = factories.officer(first_name=first, last_name=last)
        factories.attendance(session_obj=session, officer_obj=officer, attended=1)
        return services.issue_certificate(session=session, officer=officer, acting_user=lead)

    return make


def bilingual(language, heading, wording):
    template = factories.certificate_template()
    template.language = "en"
    template.second_language = language
    template.second_heading = heading
    template.second_wording = wording
    template.full_clean()
    template.save()
    return template


def test_thai_beside_english_prints_both_with_the_buddhist_era(issue):
    bilingual("th", "ประกาศนียบัตร", THAI_WORDING)
    certificate = issue("สมชาย", "ศรีสุข", course_translation=("th", "การสืบสวนสินทรัพย์ดิจิทัล"))
    text = text_of(pdf.render_certificate(certificate))
    assert certificate.course_title in text  # English title
    assert "การสืบสวนสินทรัพย์ดิจิทัล" in text  # the course's Thai title
    assert "ขอรับรองว่า" in text
    assert "ประกาศนียบัตร" in text
    assert "2023" in text  # English dates
    assert "2566" in text  # Thai dates: Buddhist Era year of 2023
    assert text.count("สมชาย ศรีสุข") == 2  # the name in both blocks


def test_traditional_chinese_beside_english(issue):
    bilingual("zh-hant", "結業證書", CHINESE_WORDING)
    certificate = issue("家豪", "陳")
    text = text_of(pdf.render_certificate(certificate))
    assert "茲證明" in text and "結業證書" in text
    # CLDR's Traditional Chinese date; digits and ideographs are drawn by different fonts, whose
    # runs the text extraction may separate with spaces.
    assert "2023年3月6日" in "".join(text.split())
    # No translation published: the Chinese block prints the course's English title.
    assert text.count(certificate.course_title) == 2


def test_a_one_language_template_prints_one_block(issue):
    template = factories.certificate_template()
    template.second_language = ""
    template.second_wording = THAI_WORDING
    template.save()
    text = text_of(pdf.render_certificate(issue()))
    assert "ขอรับรองว่า" not in text
    assert "2566" not in text


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"second_language": "en", "second_wording": THAI_WORDING}, "second_language"),
        ({"second_language": "th", "second_wording": "  "}, "second_wording"),
        ({"second_language": "th", "second_wording": "{officer_name.__class__}"}, "second_wording"),
    ],
)
def test_a_second_language_needs_its_own_language_and_valid_wording(fields, error):
    template = factories.certificate_template()
    template.language = "en"
    for name, value in fields.items():
        setattr(template, name, value)
    with pytest.raises(ValidationError) as raised:
        template.full_clean()
    assert error in raised.value.message_dict
