"""Browser journey: an officer signs in, downloads their certificate and checks it through the
link its QR code holds."""

import re

import pypdf
import pytest

from certificates import services
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_downloads_certificate_and_opens_its_verification_page(
    live_server, page, settings, monkeypatch
):
    # The QR code points at the site's public address: here, the live server.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    factories.certificate_template()
    officer = factories.officer(first_name="지우", last_name="김")
    session = factories.delivered_session(day_count=2)
    factories.attendance(session_obj=session, officer_obj=officer, attended=2)
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=None)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label("Password").fill("pw-test-1234")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(live_server.url + "/en/")

    with page.expect_download() as download_info:
        # A link as the My training page shows it (that page is wired at merge).
        page.evaluate(
            """url => {
                const link = document.createElement('a');
                link.href = url;
                link.download = '';
                document.body.appendChild(link);
                link.click();
            }""",
            certificate.get_pdf_url(),
        )
    download = download_info.value
    assert download.suggested_filename == f"{certificate.serial}.pdf"
    text = pypdf.PdfReader(download.path()).pages[0].extract_text()
    assert "김" in text and certificate.serial in text

    # The link is printed in pieces, one per line, so that it is never cut off (certificates/pdf.py
    # wrap_url): join the lines from the one where it starts until it is whole.
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("http"))
    link = ""
    match = None
    for line in lines[start : start + 6]:
        link += line.strip()
        match = re.fullmatch(r"(https?://\S+/verify/[A-Za-z0-9_-]+/)", link)
        if match:
            break
    assert match, text
    page.goto(match.group(1))
    assert page.locator(".certificate-status").inner_text() == "Valid"
    assert page.get_by_text("지우 김").is_visible()
    assert officer.email not in page.content()
