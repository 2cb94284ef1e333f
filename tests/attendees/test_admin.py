"""The walking skeleton's admin: programme leads manage agencies, jurisdictions and sessions."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

ADMIN_LISTS = ["/admin/agencies/", "/admin/jurisdictions/", "/admin/sessions/"]


@pytest.fixture
def lead():
    return factories.user(role="Programme lead")


def test_programme_lead_opens_every_list(client, lead):
    factories.session()
    client.force_login(lead)
    for url in ADMIN_LISTS:
        assert client.get(url).status_code == 200, url


def test_officer_is_refused_every_list(client):
    client.force_login(factories.officer())
    for url in ADMIN_LISTS:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/login/" in response["Location"]


def test_trainer_cannot_add_agencies(client):
    client.force_login(factories.user(role="Trainer"))
    assert client.get("/admin/agencies/").status_code == 200
    assert client.get("/admin/agencies/new/").status_code in (302, 403)
