import io

import pypdf
import pytest
from django.core.exceptions import ValidationError

from accounts import roles
from certificates import pdf, services
from certificates.models import CertificateTemplate, validate_wording
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(data):
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


@pytest.fixture
def issue(course_rules):
    factories.certificate_template()
    lead = factories.user(role=roles.PROGRAMME_LEAD)

    def make(first, last):
        session = factories.delivered_session(day_count=1)
        officer = factories.officer(first_name=first, last_name=last)
        factories.attendance(session_obj=session, officer_obj=officer, attended=1)
        return services.issue_certificate(session=session, officer=officer, acting_user=lead)

    return make


@pytest.mark.parametrize(
    ("first", "last"),
    [("สมชาย", "ศรีสุข"), ("กัญญา", "วงศ์สวัสดิ์"), ("지우", "김"), ("家豪", "陳"), ("Zoë", "Ødegård")],
)
def test_pdf_text_holds_the_name_and_serial(issue, first, last):
    certificate = issue(first, last)
    text = text_of(pdf.render_certificate(certificate))
    assert f"{first} {last}" in text
    assert certificate.serial in text
    assert certificate.get_verification_url() in text


def test_every_script_gets_an_embedded_font_that_has_its_glyphs(issue):
    certificate = issue("지우", "김 สมชาย")
    reader = pypdf.PdfReader(io.BytesIO(pdf.render_certificate(certificate)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {fonts[key].get_object()["/BaseFont"] for key in fonts}
    assert any("WenQuanYiZenHei" in name for name in names)
    assert any("Garuda" in name or "Loma" in name for name in names)
    assert any("DejaVuSans" in name for name in names)
    for key in fonts:
        assert fonts[key].get_object()["/Subtype"] == "/TrueType"  # no unembedded base-14
        descendant = fonts[key].get_object()
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is None:
            descriptor = descendant["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()  # TrueType program embedded


def test_text_runs_split_by_script():
    runs = pdf.text_runs("Kim 지우 สมชาย")
    fonts = [name for name, _text in runs]
    assert fonts == ["MusterDejaVuSans", "MusterZenHei", "MusterThai"]
    assert "".join(text for _name, text in runs) == "Kim 지우 สมชาย"


def test_same_certificate_same_bytes(issue):
    certificate = issue("지우", "김")
    first = pdf.render_certificate(certificate)
    second = pdf.render_certificate(type(certificate).objects.get(pk=certificate.pk))
    assert first == second
    other = issue("지우", "김")
    assert pdf.render_certificate(other) != first


def test_revoked_certificate_is_stamped(issue):
    certificate = issue("Mei", "Cheung")
    services.revoke(certificate=certificate, reason="Mistake.", acting_user=None)
    certificate.refresh_from_db()
    assert "REVOKED" in text_of(pdf.render_certificate(certificate))


def test_missing_font_names_the_debian_package(monkeypatch):
    monkeypatch.setattr(pdf, "_fonts", {})
    specs = dict(pdf.FONT_SPECS)
    specs["thai"] = ("MusterThaiX", ["/nonexistent/Garuda.ttf"], "fonts-thai-tlwg", 0)
    monkeypatch.setattr(pdf, "FONT_SPECS", specs)
    with pytest.raises(pdf.FontMissing, match="fonts-thai-tlwg"):
        pdf.text_runs("x")


def test_template_preview_with_sample_data_in_portrait_letter():
    template = factories.certificate_template(
        key="participation", page_size="letter", orientation="portrait"
    )
    data = pdf.render(pdf.sample_data(template))
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert "LETP-2023-000123" in text_of(data)


def test_wording_placeholders_are_validated():
    validate_wording("Awarded to {officer_name} of {agency} for {course_title} ({hours} hours)")
    with pytest.raises(ValidationError, match=r"\{officer\}"):
        validate_wording("Awarded to {officer}")
    with pytest.raises(ValidationError, match="Unknown"):
        validate_wording("{officer_name.__class__}")
    with pytest.raises(ValidationError, match="brace"):
        validate_wording("Awarded to {officer_name")


def test_template_full_clean_reports_the_unknown_placeholder():
    template = CertificateTemplate(key="x", name="X", wording="Hello {email}")
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert "wording" in caught.value.message_dict
    assert "{email}" in caught.value.message_dict["wording"][0]


def test_an_empty_city_leaves_no_doubled_separator():
    """A remote session has no city: the line reads "dates · hours", never "dates ·  · hours"."""
    values = {"dates": "6 March 2023", "city": "", "hours": "21"}
    line = pdf.fill_placeholders("{dates} · {city} · {hours} hours", values)
    assert line == "6 March 2023 · 21 hours"


def test_a_filled_city_keeps_its_separators():
    values = {"dates": "6 March 2023", "city": "Bangkok", "hours": "21"}
    line = pdf.fill_placeholders("{dates} · {city} · {hours} hours", values)
    assert line == "6 March 2023 · Bangkok · 21 hours"


def test_an_empty_city_on_a_printed_certificate():
    template = factories.certificate_template()
    data = pdf.sample_data(template)
    data.city = ""
    text = text_of(pdf.render(data))
    assert "· ·" not in text.replace("\n", " ").replace("  ", " ")


def test_hours_come_from_the_session_days_and_match_the_course_page(issue):
    """Two days of 9:00-16:00 print 14 hours, whatever the course's declared duration; the
    course page's session table shows the same figure (courses.session_facts.hours_label)."""
    from courses.session_facts import UpcomingSession
    from sessions.course_facts import _plain
    from sessions.registration.selectors import with_seats_left

    factories.certificate_template()
    lead = factories.user(role=roles.PROGRAMME_LEAD)
    session = factories.delivered_session(day_count=2)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=2)
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=lead)
    text = text_of(pdf.render_certificate(certificate)).replace("\n", " ")
    assert "14 hours" in text
    assert session.course.duration_hours != 14
    shown = _plain(with_seats_left(type(session).objects.filter(pk=session.pk)).get())
    assert isinstance(shown, UpcomingSession)
    assert shown.hours_label == pdf.format_hours(certificate.hours) == "14"


def test_dates_are_written_as_the_template_language_writes_them():
    template = factories.certificate_template()
    data = pdf.sample_data(template)
    data.wording = "{dates}"
    data.language = "th"
    thai = text_of(pdf.render(data))
    assert "2566" in thai  # the Buddhist Era year of 2023, from CLDR (muster/dates.py)
    data.language = "en"
    english = text_of(pdf.render(data))
    assert "2023" in english and "2566" not in english


def test_a_long_verification_link_is_printed_in_full_on_lines_of_its_own():
    template = factories.certificate_template()
    data = pdf.sample_data(template)
    data.verification_url = "https://training.example.org/en/certificates/verify/" + "A1B2-" * 30
    lines = pdf.wrap_url(data.verification_url, 250, 7)
    assert len(lines) > 1 and "".join(lines) == data.verification_url
    assert all(pdf.text_width(line, 7) <= 250 for line in lines)
    text = text_of(pdf.render(data))
    printed = [line.strip() for line in text.splitlines()]
    # Every wrapped piece is a line of its own, and together they are the whole link.
    start = next(i for i, line in enumerate(printed) if line.startswith("https://training."))
    joined, end = "", start
    while len(joined) < len(data.verification_url):
        joined += printed[end]
        end += 1
    assert joined == data.verification_url and end - start > 1


def test_a_link_with_no_break_point_is_cut_between_characters_not_lost():
    lines = pdf.wrap_url("x" * 400, 100, 7)
    assert "".join(lines) == "x" * 400 and len(lines) > 1
