"""Headcounts entered by a session's trainers and leads."""

import pytest
from django.urls import reverse

from attendees.models import Jurisdiction
from sessions.models import Headcount
from tests import factories

pytestmark = pytest.mark.django_db


def test_headcounts_page_permissions_and_upsert(client):
    s = factories.session()
    trainer = factories.trainer()
    s.trainers.add(trainer)
    agency_obj = factories.agency()
    url = reverse("training_sessions:headcounts", args=[s.reference])
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(factories.officer())
    assert client.post(url, {"agency": agency_obj.pk, "count": 5}).status_code == 404
    assert not Headcount.objects.exists()
    client.force_login(trainer)
    client.post(url, {"agency": agency_obj.pk, "count": 5})
    client.post(url, {"agency": agency_obj.pk, "count": 7})
    sg = Jurisdiction.objects.get(code="SG")
    client.post(url, {"jurisdiction": sg.pk, "count": 3})
    assert sorted(Headcount.objects.values_list("count", flat=True)) == [3, 7]
    response = client.post(url, {"agency": agency_obj.pk, "jurisdiction": sg.pk, "count": 1})
    assert response.status_code == 200 and response.context["form"].errors
    client.post(url, {"jurisdiction": sg.pk, "count": 0})
    assert list(Headcount.objects.values_list("count", flat=True)) == [7]
