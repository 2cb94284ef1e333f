"""The roster page: who may see it, what it counts, and its query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db
R = Registration.Status


def roster_url(session):
    return reverse("training_sessions:roster", args=[session.reference])


def test_roster_permissions(client):
    s = factories.session()
    trainer = factories.trainer()
    s.trainers.add(trainer)
    assert "/accounts/login/" in client.get(roster_url(s))["Location"]
    for outsider in (factories.officer(), factories.trainer()):
        client.force_login(outsider)
        assert client.get(roster_url(s)).status_code == 404
    for staff in (trainer, factories.lead()):
        client.force_login(staff)
        assert client.get(roster_url(s)).status_code == 200


def test_roster_groups_by_status_and_counts_confirmed_by_agency_and_jurisdiction(client):
    s = factories.session()
    hk, sg = (
        factories.agency(name="HK Police", country="HK"),
        factories.agency(name="SG Police", country="SG"),
    )
    for agency_obj, status in ((hk, R.CONFIRMED), (hk, R.CONFIRMED), (sg, R.CONFIRMED)):
        factories.registration(
            session_obj=s, officer_obj=factories.officer(agency_obj=agency_obj), status=status
        )
    waiting = factories.registration(
        session_obj=s, officer_obj=factories.officer(agency_obj=sg), status=R.WAITLISTED
    )
    client.force_login(factories.lead())
    response = client.get(roster_url(s))
    assert [(row["agency"], row["count"]) for row in response.context["by_agency"]] == [
        ("HK Police", 2),
        ("SG Police", 1),
    ]
    assert [row["count"] for row in response.context["by_jurisdiction"]] == [2, 1]
    groups = {status: rows for status, _label, rows in response.context["groups"]}
    assert len(groups[R.CONFIRMED]) == 3 and groups[R.WAITLISTED] == [waiting]
    assert waiting.officer.email in response.content.decode()


def test_staff_cancel_from_the_roster_and_come_back_to_it(client):
    s = factories.session(capacity=1)
    holder = factories.registration(session_obj=s)
    waiting = factories.registration(session_obj=s, status=R.WAITLISTED)
    client.force_login(factories.lead())
    response = client.post(
        reverse("training_sessions:cancel_registration", args=[holder.pk]),
        {"next": roster_url(s)},
    )
    assert response["Location"] == roster_url(s)
    waiting.refresh_from_db()
    assert waiting.status == R.CONFIRMED


def test_roster_query_count_is_constant(client):
    s = factories.session()
    lead = factories.lead()
    client.force_login(lead)
    agency_obj = factories.agency()

    def add(n):
        for _ in range(n):
            factories.registration(
                session_obj=s, officer_obj=factories.officer(agency_obj=agency_obj)
            )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(roster_url(s)).status_code == 200
        return len(ctx)

    add(3)
    few = count()
    add(30)
    assert count() == few


def test_counts_by_country_put_subdivisions_beneath_their_country(client):
    from attendees.models import Agency, Jurisdiction

    s = factories.session()
    lapd = Agency.objects.create(
        name="LAPD", type="police", jurisdiction=Jurisdiction.objects.get(code="US-CA")
    )
    nypd = Agency.objects.create(
        name="NYPD", type="police", jurisdiction=Jurisdiction.objects.get(code="US-NY")
    )
    fbi = factories.agency(name="FBI", country="US")
    hk = factories.agency(name="HKPF", country="HK")
    for agency_obj in (lapd, lapd, nypd, fbi, hk):
        factories.registration(session_obj=s, officer_obj=factories.officer(agency_obj=agency_obj))
    factories.registration(
        session_obj=s, officer_obj=factories.officer(agency_obj=lapd), status=R.WAITLISTED
    )
    client.force_login(factories.lead())
    response = client.get(roster_url(s))
    rows = response.context["by_jurisdiction"]
    assert [(row["code"], row["count"]) for row in rows] == [("US", 4), ("HK", 1)]
    assert [(sub["code"], sub["count"]) for sub in rows[0]["subdivisions"]] == [
        ("US-CA", 2),
        ("US-NY", 1),
    ]
    assert rows[1]["subdivisions"] == []
    page = response.content.decode()
    assert 'data-subdivision="US-CA"' in page and "of which California" in page
