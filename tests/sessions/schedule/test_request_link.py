"""Who is offered "Request a training" in the catalogue: the same rule as the request form
(accounts/roles.may_request_training): a verified officer with an agency, nobody else."""

import pytest
from django.urls import reverse

from sessions import permissions
from tests import factories
from tests.clients import MusterClient as Client

pytestmark = pytest.mark.django_db

LINK = "Request a training"


def _catalogue(user):
    factories.course()  # the catalogue page exists once a course does
    client = Client()
    client.force_login(user)
    return client.get("/en/courses/").content.decode()


def test_a_verified_officer_with_an_agency_is_offered_the_link():
    officer = factories.officer()
    assert permissions.can_request_training(officer)
    assert LINK in _catalogue(officer)


def test_a_verified_officer_without_an_agency_is_not():
    officer = factories.officer()
    officer.officer_profile.agency = None
    officer.officer_profile.save()
    assert not permissions.can_request_training(officer)
    assert LINK not in _catalogue(officer)
    client = Client()
    client.force_login(officer)
    response = client.get(reverse("training_sessions:request_training"))
    assert response.status_code == 403


def test_a_pending_officer_is_not():
    officer = factories.officer(verified=False)
    assert LINK not in _catalogue(officer)
