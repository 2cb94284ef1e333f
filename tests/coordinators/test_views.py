"""The coordinator's pages and the nominee's answer, as people use them."""

import datetime

import pytest
from django.urls import reverse

from certificates.models import Certificate
from coordinators.models import Nomination
from sessions.models import Registration
from tests import factories
from tests.clients import MusterClient as Client

from .helpers import by_nomination, coordinator, unit_of

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agency():
    return factories.agency()


def test_the_record_shows_attendance_hours_certificates_and_the_never_trained(agency):
    coord = coordinator(agency)
    trained = factories.officer(agency_obj=unit_of(agency), first_name="Tran", last_name="Ed")
    never = factories.officer(agency_obj=agency, first_name="Nev", last_name="Er")
    outsider = factories.officer(first_name="Out", last_name="Sider")
    delivered = factories.delivered_session(day_count=2)  # 2 days of 7 hours
    factories.attendance(session_obj=delivered, officer_obj=trained, attended=2)
    factories.attendance(session_obj=delivered, officer_obj=outsider, attended=2)
    factories.certificate_template()
    from certificates import services as certificate_services

    certificate = certificate_services.issue_certificate(
        session=delivered, officer=trained, acting_user=factories.lead()
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    response = signed_in(coord).get(reverse("coordinators:index"))
    assert response.status_code == 200
    rows = {row["profile"].user_id: row for row in response.context["rows"]}
    assert set(rows) == {coord.pk, trained.pk, never.pk}
    assert rows[trained.pk]["sessions_attended"] == 1
    assert rows[trained.pk]["hours"] == 14
    assert rows[trained.pk]["certificates_expiring"] == 1
    assert [r["profile"].user_id for r in response.context["never_trained"]] == [
        coord.pk,
        never.pk,
    ]
    assert b"Out" not in response.content
    page = signed_in(coord).get(reverse("coordinators:officer", args=[trained.pk]))
    assert b'data-certificate-state="expiring"' in page.content
    assert b'data-attended="yes"' in page.content


def test_another_agencys_officer_answers_404_and_so_does_a_parents_for_a_unit_coordinator(
    agency,
):
    unit = unit_of(agency)
    unit_coord = coordinator(unit)
    parent_officer = factories.officer(agency_obj=agency)
    other = factories.officer()
    client = signed_in(unit_coord)
    for person in (parent_officer, other):
        assert client.get(reverse("coordinators:officer", args=[person.pk])).status_code == 404
    unit_officer = factories.officer(agency_obj=unit)
    assert client.get(reverse("coordinators:officer", args=[unit_officer.pk])).status_code == 200


def test_a_coordinator_who_left_sees_nothing(agency):
    coord = coordinator(agency)
    profile = coord.officer_profile
    profile.agency = factories.agency()
    profile.save()
    assert signed_in(coord).get(reverse("coordinators:index")).status_code == 404


def test_nominate_by_search_then_the_officer_accepts_from_my_training(agency):
    coord = coordinator(agency)
    session = by_nomination(capacity=2)
    officer = factories.officer(agency_obj=agency, first_name="Nomi", last_name="Nee")
    factories.officer(agency_obj=agency, first_name="Other", last_name="Person")
    client = signed_in(coord)
    url = reverse("coordinators:nominate", args=[session.reference])
    page = client.get(url, {"q": "nomi"})
    assert [p.user_id for p in page.context["found"]] == [officer.pk]
    client.post(url, {"officer": officer.pk})
    nomination = Nomination.objects.get(officer=officer)
    # An officer outside the agency cannot be posted in.
    assert client.post(url, {"officer": factories.officer().pk}).status_code == 404
    officer_client = signed_in(officer)
    my = officer_client.get(reverse("my_training:index"))
    assert reverse("coordinators:respond", args=[nomination.pk]).encode() in my.content
    # Someone else cannot answer it.
    assert (
        signed_in(factories.officer(agency_obj=agency))
        .post(reverse("coordinators:respond", args=[nomination.pk]), {"answer": "accept"})
        .status_code
        == 404
    )
    officer_client.post(reverse("coordinators:respond", args=[nomination.pk]), {"answer": "accept"})
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ACCEPTED
    assert nomination.registration.status == Registration.Status.CONFIRMED
    listing = client.get(reverse("coordinators:index"))
    assert b'data-nomination-status="accepted"' in listing.content


def test_the_export_in_both_formats(agency):
    coord = coordinator(agency)
    factories.officer(agency_obj=agency, email="=cmd@police.example")
    client = signed_in(coord)
    csv = client.get(reverse("coordinators:export", args=["csv"]))
    assert csv["Content-Type"].startswith("text/csv")
    assert "'=cmd@police.example" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("coordinators:export", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("coordinators:export", args=["pdf"])).status_code == 404
