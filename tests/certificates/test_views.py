import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts import roles
from certificates import services
from muster.dates import format_date_range
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trainer():
    return factories.user(role=roles.TRAINER)


@pytest.fixture
def certificate(course_rules, trainer):
    factories.certificate_template()
    agency = factories.agency(name="Commercial Crime Bureau")
    session = factories.delivered_session(day_count=2, trainer=trainer)
    officer = factories.officer(
        first_name="สมชาย",
        last_name="ศรีสุข",
        email="somchai@rtp.example",
        agency_obj=agency,
    )
    factories.attendance(session_obj=session, officer_obj=officer, attended=2)
    return services.issue_certificate(session=session, officer=officer, acting_user=trainer)


def verify_url(certificate):
    return reverse("certificates:verify", kwargs={"code": certificate.verification_code})


def test_verify_shows_name_course_dates_issuer_status_and_nothing_else(client, certificate):
    response = client.get(verify_url(certificate))
    assert response.status_code == 200
    body = response.content.decode()
    assert "สมชาย ศรีสุข" in body
    assert certificate.course_title in body
    assert "Global Law Enforcement Training Programme" in body
    assert "Valid" in body
    # The session's days as CLDR writes them in the page's language (muster/dates.py).
    assert format_date_range(certificate.start_date, certificate.end_date) in body
    assert "@" not in body  # no e-mail address at all
    assert "somchai@rtp.example" not in body
    assert "Commercial Crime Bureau" not in body
    assert "Hong Kong" not in body  # the agency's jurisdiction


def test_verify_is_noindex(client, certificate):
    response = client.get(verify_url(certificate))
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.content.decode()
    form = client.get(reverse("certificates:verify_form"))
    assert "noindex" in form["X-Robots-Tag"]


def test_unknown_code_is_404_and_noindex(client, certificate):
    response = client.get(reverse("certificates:verify", kwargs={"code": "x" * 43}))
    assert response.status_code == 404
    assert "noindex" in response["X-Robots-Tag"]
    assert "สมชาย" not in response.content.decode()


def test_revocation_visible_on_the_very_next_request(client, certificate, trainer):
    assert "Valid" in client.get(verify_url(certificate)).content.decode()
    services.revoke(certificate=certificate, reason="Attendance falsified.", acting_user=trainer)
    body = client.get(verify_url(certificate)).content.decode()
    assert "Revoked" in body
    assert "Attendance falsified." in body
    assert ">Valid<" not in body


def test_superseded_says_replaced_without_the_new_code(client, certificate, trainer):
    new = services.reissue(certificate=certificate, reason="Typo.", acting_user=trainer)
    body = client.get(verify_url(certificate)).content.decode()
    assert "Replaced by a newer version" in body
    assert new.serial in body
    assert new.verification_code not in body


def test_expired_status(client, certificate):
    import datetime

    type(certificate).objects.filter(pk=certificate.pk).update(expires_on=datetime.date(2024, 1, 1))
    body = client.get(verify_url(certificate)).content.decode()
    assert "Expired" in body


def test_form_takes_serial_and_code(client, certificate):
    url = reverse("certificates:verify_form")
    ok = client.get(
        url, {"serial": certificate.serial.lower(), "code": certificate.verification_code}
    )
    assert ok.status_code == 302 and ok["Location"] == verify_url(certificate)
    # The whole link pasted from the QR code works too.
    pasted = client.get(
        url, {"serial": certificate.serial, "code": certificate.get_verification_url()}
    )
    assert pasted["Location"] == verify_url(certificate)
    wrong = client.get(url, {"serial": "LETP-2023-999999", "code": certificate.verification_code})
    assert wrong.status_code == 404
    assert "No certificate matches" in wrong.content.decode()
    empty = client.get(url, {"serial": "", "code": ""})
    assert empty.status_code == 400


def test_rate_limited_per_client_ip(client, certificate, settings):
    settings.MUSTER_VERIFY_RATE_LIMIT = (3, 60)
    for _ in range(3):
        assert client.get(verify_url(certificate)).status_code == 200
    limited = client.get(verify_url(certificate))
    assert limited.status_code == 429
    assert "Too many requests" in limited.content.decode()
    assert limited["Retry-After"] == "60"
    # Unknown codes count too, so guessing is throttled.
    assert client.get(reverse("certificates:verify", kwargs={"code": "nope"})).status_code == 429
    # Another client is not affected.
    other = client.get(verify_url(certificate), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def pdf_url(certificate):
    return reverse("certificates:pdf", kwargs={"serial": certificate.serial})


def test_officer_downloads_their_own_pdf(client, certificate):
    client.force_login(certificate.officer)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert certificate.serial in response["Content-Disposition"]


def test_pdf_anonymous_is_sent_to_sign_in(client, certificate):
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_another_officers_pdf_is_404(client, certificate):
    client.force_login(factories.officer())
    assert client.get(pdf_url(certificate)).status_code == 404
    assert client.get(pdf_url(certificate).replace("000001", "000999")).status_code == 404


def test_trainers_of_the_session_and_leads_download_others_do_not(client, certificate, trainer):
    client.force_login(trainer)
    assert client.get(pdf_url(certificate)).status_code == 200
    client.force_login(factories.user(role=roles.TRAINER))
    assert client.get(pdf_url(certificate)).status_code == 404
    client.force_login(factories.user(role=roles.EDITOR))
    assert client.get(pdf_url(certificate)).status_code == 404
    client.force_login(factories.user(role=roles.PROGRAMME_LEAD))
    assert client.get(pdf_url(certificate)).status_code == 200


def test_my_training_section_lists_only_own_certificates(rf, certificate, trainer):
    from django.template.loader import render_to_string

    from certificates.my_training import certificates_section

    other_officer = factories.officer()
    request = rf.get("/")
    request.user = certificate.officer
    section = certificates_section(request)
    assert section["template"] == "certificates/my_training_section.html"
    assert [c.serial for c in section["context"]["certificates"]] == [certificate.serial]
    html = render_to_string(section["template"], section["context"])
    assert certificate.serial in html and pdf_url(certificate) in html and "Valid" in html

    request.user = other_officer
    assert certificates_section(request)["context"]["certificates"] == []
