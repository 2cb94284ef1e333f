"""A form that fails shows an error summary at its top: focusable (tabindex=-1), loaded with
the script that focuses it (a static file under the CSP nonce), each error linking to its field.
Checked on the public forms: sign-up, profile, training request and feedback."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.clients import MusterClient as Client
from tests.evaluation.conftest import answers, ended_session

pytestmark = pytest.mark.django_db


def summary_of(html):
    match = re.search(r'<div class="error-summary[^"]*"([^>]*)>(.*?)</div>', html, re.S)
    assert match, "no error summary on the page"
    attributes, inside = match.groups()
    assert 'tabindex="-1"' in attributes and "data-error-summary" in attributes
    assert re.search(r'<script src="[^"]*js/error-summary\.js" nonce="[^"]+" defer>', html)
    return inside


def links(inside):
    return re.findall(r'<a href="#([^"]+)">', inside)


def test_sign_up_summary_links_each_missing_field(client):
    html = client.post(reverse("account_signup"), {}).content.decode()
    targets = links(summary_of(html))
    assert "id_email" in targets and "id_first_name" in targets
    for target in targets:
        assert f'id="{target}"' in html  # every link lands on a field of the page


def test_profile_summary(client):
    client.force_login(factories.officer())
    response = client.post(reverse("attendees:profile"), {"rank": "Chief\u202eInspector"})
    assert "id_rank" in links(summary_of(response.content.decode()))


def test_training_request_summary(client):
    client.force_login(factories.officer())
    html = client.post(
        reverse("training_sessions:request_training"), {"expected_participants": "0"}
    ).content.decode()
    targets = links(summary_of(html))
    assert "id_delivery" in targets and all(f'id="{target}"' in html for target in targets)


def test_feedback_summary_links_the_unanswered_question():
    session, (officer,) = ended_session(attendees=1)
    client = Client()
    client.force_login(officer)
    url = reverse("evaluation:feedback", args=[session.reference])
    data = {f"q{pk}": value for pk, value in answers(session, overall="").items()}
    html = client.post(url, data).content.decode()
    (target,) = links(summary_of(html))
    assert f'id="{target}"' in html and "This question needs an answer." in summary_of(html)


def test_no_summary_on_a_form_not_yet_sent(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "data-error-summary" not in html and "error-summary.js" not in html
