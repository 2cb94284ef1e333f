"""Programme leads in the admin: agencies with inline domains, choosers, reviewing pending
officers one by one and in bulk, deciding agency requests, merging a duplicate agency."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendees.models import Agency, AgencyRequest, Jurisdiction, OfficerProfile
from sessions.models import Headcount
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()

REVIEW = "/admin/officers/review/"
MERGE = "/admin/agencies/merge/"
LEAD_ONLY = [REVIEW, MERGE]


@pytest.fixture
def lead():
    return factories.user(role="Programme lead")


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def decide_url(request):
    return f"/admin/agency_requests/{request.pk}/decide/"


@pytest.mark.parametrize("role", ["Trainer", "Editor"])
def test_staff_without_the_right_are_refused(client, role):
    request = factories.agency_request()
    client.force_login(factories.user(role=role))
    for url in [*LEAD_ONLY, decide_url(request), "/admin/officers/", "/admin/agency_requests/"]:
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, {}).status_code in (302, 403), url
    assert AgencyRequest.objects.get().status == "open"


def test_officers_and_anonymous_visitors_are_sent_away(client):
    request = factories.agency_request()
    for who in [None, factories.officer()]:
        if who:
            client.force_login(who)
        for url in [*LEAD_ONLY, decide_url(request), "/admin/officers/"]:
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert response.status_code == 403 or "/login/" in response["Location"]


def test_lead_opens_every_page(lead_client):
    request = factories.agency_request()
    for url in [
        *LEAD_ONLY,
        decide_url(request),
        "/admin/officers/",
        "/admin/officers/?verification=pending",
        "/admin/agency_requests/",
        "/admin/agencies/new/",
        "/admin/agencies/?type=police&is_unit=false",
        "/admin/jurisdiction_chooser/?q=kowloon",
        "/admin/agency_chooser/?q=atlantis",
    ]:
        assert lead_client.get(url).status_code == 200, url


def test_agency_with_inline_domains_and_chooser_widgets(lead_client):
    hong_kong = Jurisdiction.objects.get(code="HK")
    parent = factories.agency(name="Hong Kong Police Force")
    response = lead_client.post(
        "/admin/agencies/new/",
        {
            "name": "Commercial Crime Bureau",
            "acronym": "CCB",
            "type": "police",
            "jurisdiction": hong_kong.pk,
            "parent": parent.pk,
            "domains-TOTAL_FORMS": "2",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-domain": "CCB.hkpf.example",
            "domains-0-id": "",
            "domains-1-domain": "ccb-hk.example",
            "domains-1-id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agency = Agency.objects.get(name="Commercial Crime Bureau")
    assert agency.parent == parent
    assert agency.domain_list() == "ccb-hk.example, ccb.hkpf.example"


def test_jurisdiction_chooser_searches_thousands_by_name_or_code(lead_client):
    assert Jurisdiction.objects.count() > 5000
    page = lead_client.get("/admin/jurisdiction_chooser/results/?q=US-CA").content.decode()
    assert "California" in page
    assert "Texas" not in page


def _pending(n, agency):
    users = User.objects.bulk_create(
        [User(email=f"p{i}-{agency.pk}@mail.example", first_name=f"P{i}") for i in range(n)]
    )
    OfficerProfile.objects.bulk_create(
        [OfficerProfile(user=u, agency=agency, verification_note="not on a domain") for u in users]
    )


@pytest.mark.parametrize("url", [REVIEW, "/admin/officers/", "/admin/agencies/"])
def test_lists_do_not_grow_queries_with_rows(lead_client, url):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(url).status_code == 200
        return len(queries)

    _pending(10, factories.agency(domain="a.example"))
    few = count()
    for i in range(5):
        _pending(40, factories.agency(domain=f"b{i}.example"))
    assert count() == few


def test_bulk_approve_emails_each_officer(
    lead_client, lead, mailoutbox, django_capture_on_commit_callbacks
):
    agency = factories.agency()
    _pending(3, agency)
    ids = list(OfficerProfile.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(REVIEW, {"officers": ids, "decision": "verify"}, follow=True)
    assert "3 officers approved." in response.content.decode()
    assert set(OfficerProfile.objects.values_list("verification", flat=True)) == {"verified"}
    assert set(OfficerProfile.objects.values_list("verified_by", flat=True)) == {lead.pk}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        OfficerProfile.objects.values_list("user__email", flat=True)
    )


def test_bulk_reject_needs_a_reason(lead_client, mailoutbox, django_capture_on_commit_callbacks):
    _pending(2, factories.agency())
    ids = list(OfficerProfile.objects.values_list("pk", flat=True))
    response = lead_client.post(REVIEW, {"officers": ids, "decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    assert set(OfficerProfile.objects.values_list("verification", flat=True)) == {"pending"}
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(REVIEW, {"officers": ids, "decision": "reject", "reason": "Unknown unit."})
    assert set(OfficerProfile.objects.values_list("verification", flat=True)) == {"rejected"}
    assert len(mailoutbox) == 2 and "Unknown unit." in mailoutbox[0].body


def test_one_by_one_decides_only_that_officer(
    lead_client, mailoutbox, django_capture_on_commit_callbacks
):
    _pending(3, factories.agency())
    first, *others = OfficerProfile.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(
            f"{REVIEW}?one={first.pk}",
            {"officers": [o.pk for o in others], "decision": "verify"},  # ticks are ignored
        )
    assert OfficerProfile.objects.get(pk=first.pk).verification == "verified"
    assert {o.verification for o in OfficerProfile.objects.exclude(pk=first.pk)} == {"pending"}
    assert len(mailoutbox) == 1


def test_lead_creates_the_requested_agency(lead_client):
    request = factories.agency_request(user_fields={"email": "jo@atlantis.example"})
    response = lead_client.post(
        decide_url(request),
        {
            "action": "create",
            "type": "police",
            "jurisdiction": request.country.pk,
            "domain": "atlantis.example",
        },
    )
    assert response.status_code == 302
    profile = OfficerProfile.objects.get(pk=request.officer.pk)
    assert profile.agency.name == "Atlantis Cyber Police"
    assert profile.verification == "verified"


def test_lead_attaches_to_an_existing_agency_or_rejects_with_a_reason(lead_client):
    agency = factories.agency()
    attach = factories.agency_request()
    lead_client.post(decide_url(attach), {"action": "attach", "agency": agency.pk})
    assert OfficerProfile.objects.get(pk=attach.officer.pk).agency == agency
    reject = factories.agency_request()
    response = lead_client.post(decide_url(reject), {"action": "reject", "reason": ""})
    assert response.status_code == 200
    assert AgencyRequest.objects.get(pk=reject.pk).status == "open"
    lead_client.post(decide_url(reject), {"action": "reject", "reason": "Private company."})
    assert AgencyRequest.objects.get(pk=reject.pk).status == "rejected"


def test_merge_previews_counts_then_merges_on_confirmation(lead_client):
    target = factories.agency(name="Hong Kong Police Force", domain="hkpf.example")
    source = factories.agency(name="HK Police Force (duplicate)", domain="hkp.example")
    factories.officer(agency_obj=source)
    factories.officer(agency_obj=source)
    session = factories.session(host_agency=source)
    Headcount.objects.create(session=session, agency=source, count=9)
    Headcount.objects.create(session=session, agency=target, count=1)
    data = {"source": source.pk, "target": target.pk}

    page = lead_client.post(MERGE, {**data, "preview": "1"}).content.decode()
    assert "<td>officer profiles (agency)</td><td>2</td>" in page
    assert "<td>headcounts (agency)</td><td>1</td>" in page
    assert Agency.objects.filter(pk=source.pk).exists()

    response = lead_client.post(MERGE, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert not Agency.objects.filter(pk=source.pk).exists()
    assert OfficerProfile.objects.filter(agency=target).count() == 2
    assert Headcount.objects.get(session=session).count == 10


def test_merge_refuses_the_same_agency_twice(lead_client):
    agency = factories.agency()
    response = lead_client.post(MERGE, {"source": agency.pk, "target": agency.pk, "confirm": "1"})
    assert response.status_code == 200
    assert "two different agencies" in response.content.decode()
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_the_decision_message_says_the_outcome(lead_client):
    from django.contrib.messages import get_messages

    agency = factories.agency(name="Royal Malaysia Police")
    attach = factories.agency_request(user_fields={"first_name": "Aiman", "last_name": "Ali"})
    response = lead_client.post(decide_url(attach), {"action": "attach", "agency": agency.pk})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Aiman Ali is attached to Royal Malaysia Police." in said
    reject = factories.agency_request(user_fields={"first_name": "Noor", "last_name": "Hadi"})
    response = lead_client.post(
        decide_url(reject), {"action": "reject", "reason": "Private company."}
    )
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert "The request is rejected and Noor Hadi is told why." in said
