"""The session form loads fast: it does not list every jurisdiction, agency or officer (5,301
jurisdictions made it 850 KB); those fields are choosers that search on demand."""

import re

import pytest

from accounts import roles
from tests import factories

pytestmark = pytest.mark.django_db
LIMIT = 200_000


def test_the_session_form_stays_small_with_thousands_of_choices(client):
    from attendees.models import Jurisdiction

    client.force_login(factories.lead())
    assert Jurisdiction.objects.count() > 5000  # the real list, as production has it
    session = factories.session()
    for url in ("/admin/sessions/new/", f"/admin/sessions/edit/{session.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content
        assert len(body) < LIMIT, f"{url}: {len(body)} bytes"
        assert len(re.findall(rb"<option", body)) < 1000


def test_chosen_jurisdictions_agencies_and_officers_show_and_save(client):
    """Only the chosen items are on the page, ticked; posting them keeps them."""
    from attendees.models import Jurisdiction
    from tests.sessions.test_admin import edit_data

    client.force_login(factories.lead())
    hk = Jurisdiction.objects.get(code="HK")
    agency = factories.agency(name="Hong Kong Police Force")
    officer = factories.officer(last_name="Wong")
    session = factories.session()
    session.eligible_jurisdictions.add(hk)
    session.eligible_agencies.add(agency)
    session.invited_officers.add(officer)
    page = client.get(f"/admin/sessions/edit/{session.pk}/").content.decode()
    assert f'name="eligible_jurisdictions" value="{hk.pk}" checked' in page
    assert f'name="eligible_agencies" value="{agency.pk}" checked' in page
    assert f'name="invited_officers" value="{officer.pk}" checked' in page
    other = Jurisdiction.objects.get(code="TH")
    data = edit_data(
        session,
        eligible_jurisdictions=[str(hk.pk), str(other.pk)],
        eligible_agencies=[],
        invited_officers=[str(officer.pk)],
        host_agency=str(agency.pk),
    )
    response = client.post(f"/admin/sessions/edit/{session.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert set(session.eligible_jurisdictions.all()) == {hk, other}
    assert not session.eligible_agencies.exists()
    assert session.host_agency == agency


def test_search_finds_matches_for_people_who_edit_sessions_only(client):
    from django.urls import reverse

    url = reverse("session_choices:search", args=["jurisdiction"])
    client.force_login(factories.trainer())
    found = client.get(url, {"q": "Hong Kong"}).json()["results"]
    assert any(item["label"].startswith("Hong Kong") for item in found) and len(found) <= 20
    assert client.get(url, {"q": "H"}).json()["results"] == []
    officer = factories.officer(last_name="Siriwat")
    officer_url = reverse("session_choices:search", args=["officer"])
    assert [r["id"] for r in client.get(officer_url, {"q": "Siriw"}).json()["results"]] == [
        officer.pk
    ]
    assert (
        client.get(reverse("session_choices:search", args=["course"]), {"q": "ab"}).status_code
        == 404
    )
    client.force_login(factories.user(role=roles.EDITOR))
    refused = client.get(url, {"q": "Hong Kong"})  # Wagtail turns the 403 into a redirect
    assert refused.status_code == 302 and "Hong Kong" not in refused.content.decode()
    client.force_login(officer)
    assert client.get(url, {"q": "Hong Kong"}).status_code == 403
