"""Browser journey: the offline verifier checks credentials in Chromium (WebCrypto Ed25519)
with the network cut off after the page has loaded."""

import pytest
from django.urls import reverse

from certificates import services
from tests import factories
from tests.credentials.helpers import tamper

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _issue(officer):
    session = factories.delivered_session(day_count=2)
    factories.attendance(session_obj=session, officer_obj=officer, attended=2)
    return services.issue_certificate(session=session, officer=officer, acting_user=None)


def test_the_verifier_works_with_the_network_blocked(live_server, page, monkeypatch, tmp_path):
    for name, value in {
        "certificate_attendance_percent": 80,
        "certificate_template": "completion",
    }.items():
        monkeypatch.setitem(factories.COURSE_DEFAULTS, name, value)
    factories.certificate_template()
    valid = _issue(factories.officer(first_name="Mei", last_name="Cheung"))
    revoked = _issue(factories.officer())
    services.revoke(certificate=revoked, reason="Issued in error", acting_user=None)

    page.goto(live_server.url + reverse("credentials_public:verifier"))
    page.wait_for_load_state("networkidle")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route("**/*", lambda route: route.abort())
    page.context.set_offline(True)

    def check(text):
        page.locator("#credential-text").fill(text)
        page.get_by_role("button", name="Check").click()
        outcome = page.locator("#credential-result [data-outcome]")
        outcome.wait_for()
        return outcome.get_attribute("data-outcome")

    assert check(valid.credential.token) == "valid"
    assert page.get_by_text("Mei Cheung").is_visible()
    assert check(tamper(valid.credential.token)) == "signature invalid"
    assert check(revoked.credential.token) == "revoked"
    assert check("not a credential") == "signature invalid"
    # The .json download (an enveloped credential) through the file picker.
    path = tmp_path / "credential.json"
    path.write_text('{"id": "data:application/vc+jwt,' + valid.credential.token + '"}')
    page.locator("#credential-text").fill("")
    page.locator("#credential-file").set_input_files(str(path))
    page.locator("#credential-result [data-outcome='valid']").wait_for()
    assert requests == []
