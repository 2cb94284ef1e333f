"""Demo coordinators: the HKPF and RTP coordinators with accepted, pending and lapsed
nominations, the demo officers' pending ones on My training."""

import pytest
from django.urls import reverse

from coordinators.models import AgencyCoordinator, Nomination
from tests.clients import MusterClient as Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_programme")]


def test_demo_coordinators_and_their_nominations():
    coordinators = {
        row.agency.acronym: row.user
        for row in AgencyCoordinator.objects.select_related("agency", "user")
    }
    assert set(coordinators) == {"HKPF", "RTP"}
    for acronym, user in coordinators.items():
        made = Nomination.objects.filter(nominated_by=user)
        assert {n.status for n in made} == {"accepted", "pending", "lapsed"}, acronym
        assert all(n.registration is not None for n in made.filter(status="accepted"))
        assert not made.filter(status="lapsed", holds_seat=True).exists()
    for email in ("officer@hkpf.example", "officer@police-th.example"):
        assert Nomination.objects.filter(officer__email=email, status="pending").exists()
    client = Client()
    client.force_login(coordinators["HKPF"])
    page = client.get(reverse("coordinators:index"))
    assert page.status_code == 200
    assert b'data-nomination-status="lapsed"' in page.content
    assert b"officer@police-th.example" not in page.content
