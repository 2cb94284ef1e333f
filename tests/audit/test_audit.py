"""The audit log itself: append-only, and read-only for programme leads in the admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from audit.models import AuditEntry, AuditEntryRefused
from audit.services import record
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    lead = factories.lead(first_name="Lee", last_name="Ward")
    officer = factories.officer(first_name="Mei", last_name="Cheung")
    return record(
        actor=lead,
        action=AuditEntry.Action.OFFICER_VERIFIED,
        target=officer.officer_profile,
        subject=officer,
        before={"verification": "pending"},
        after={"verification": "verified", "on": datetime.date(2024, 1, 2)},
    )


def test_record_copies_who_and_what(entry):
    entry.refresh_from_db()
    assert entry.actor_label.startswith("Lee Ward <")
    assert entry.target_label == "Mei Cheung"
    assert entry.target_type.model == "officerprofile"
    assert entry.after == {"verification": "verified", "on": "2024-01-02"}


def test_entries_refuse_changes_and_deletion(entry):
    entry.summary = "rewritten"
    with pytest.raises(AuditEntryRefused):
        entry.save()
    with pytest.raises(AuditEntryRefused):
        entry.delete()
    with pytest.raises(AuditEntryRefused):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(AuditEntryRefused):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_the_entry_outlives_its_actor(entry):
    actor = entry.actor
    label = entry.actor_label
    actor.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor is None and entry.actor_label == label


def test_unknown_actions_are_refused():
    with pytest.raises(ValueError):
        record(actor=None, action="officer.promoted", target=None)
    assert not AuditEntry.objects.exists()


def test_the_system_has_no_actor():
    made = record(actor=None, action=AuditEntry.Action.ACCOUNT_ANONYMISED)
    assert made.actor is None and str(made.who) == "System"


# --- Admin --------------------------------------------------------------------------------


def test_leads_read_the_log(client, entry):
    client.force_login(factories.lead())
    response = client.get("/admin/audit_log/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mei Cheung" in html and "Officer verified" in html
    assert client.get(f"/admin/audit_log/inspect/{entry.pk}/").status_code == 200


@pytest.mark.parametrize("role", [roles.OFFICER, roles.TRAINER, roles.EDITOR])
def test_other_roles_do_not_read_the_log(client, entry, role):
    user = factories.officer() if role == roles.OFFICER else factories.user(role=role)
    client.force_login(user)
    assert client.get("/admin/audit_log/").status_code in (302, 403)
    assert client.get(f"/admin/audit_log/inspect/{entry.pk}/").status_code in (302, 403)


def test_nobody_edits_or_deletes_entries_in_the_admin(client, entry):
    client.force_login(factories.user(is_superuser=True, is_staff=True))
    for url in (
        "/admin/audit_log/new/",
        f"/admin/audit_log/edit/{entry.pk}/",
        f"/admin/audit_log/delete/{entry.pk}/",
        f"/admin/audit_log/copy/{entry.pk}/",
        f"/admin/audit_log/history/{entry.pk}/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    html = client.get("/admin/audit_log/").content.decode()
    assert f"/admin/audit_log/edit/{entry.pk}/" not in html


def test_filters(client, entry):
    other = record(
        actor=None,
        action=AuditEntry.Action.AGENCY_MERGED,
        target=factories.agency(name="Kowloon Unit"),
    )
    client.force_login(factories.lead())
    html = client.get("/admin/audit_log/", {"action": "agency.merged"}).content.decode()
    assert "Kowloon Unit" in html and "Mei Cheung" not in html
    html = client.get("/admin/audit_log/", {"actor": "Lee Ward"}).content.decode()
    assert "Mei Cheung" in html and "Kowloon Unit" not in html
    html = client.get("/admin/audit_log/", {"target_type": entry.target_type_id}).content.decode()
    assert "Mei Cheung" in html and "Kowloon Unit" not in html
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    html = client.get("/admin/audit_log/", {"created_at_from": tomorrow}).content.decode()
    assert "Mei Cheung" not in html and "Kowloon Unit" not in html
    assert other.pk


def _index_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/admin/audit_log/").status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_for_10_and_200_entries(client):
    lead = factories.lead()
    profile = factories.officer().officer_profile
    client.force_login(lead)

    def add(n):
        for _ in range(n):
            record(
                actor=lead,
                action=AuditEntry.Action.OFFICER_VERIFIED,
                target=profile,
                subject=profile.user,
            )

    add(10)
    small = _index_queries(client)
    add(190)
    assert _index_queries(client) == small


def test_the_client_address_ignores_a_forwarded_header_unless_a_proxy_is_trusted(rf, settings):
    from audit.services import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.5")
    assert client_ip(request) == "10.0.0.5"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Forwarded-For"
    assert client_ip(request) == "203.0.113.9"
