"""Downloads of restricted material go to the audit log as well as the download log."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from courses.models import MaterialDownload
from tests import factories

pytestmark = pytest.mark.django_db


def test_restricted_downloads_are_audited(client):
    material = factories.material(access="verified", label="TLP:GREEN", title="Handbook")
    officer = factories.officer()
    client.force_login(officer)
    response = client.get(reverse("courses:material_download", args=[material.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="material.downloaded")
    assert entry.actor == officer and entry.subject == officer
    assert entry.after == {
        "title": "Handbook",
        "label": "TLP:GREEN",
        "course": material.page.code,
        "stamped": False,
    }
    assert entry.ip_address == "127.0.0.1"
    assert MaterialDownload.objects.filter(user=officer).count() == 1


def test_refused_and_public_downloads_are_not_audited(client):
    restricted = factories.material(access="attendees", label="TLP:AMBER")
    public = factories.material(access="public")
    client.force_login(factories.officer())
    assert client.get(reverse("courses:material_download", args=[restricted.pk])).status_code == 403
    assert client.get(reverse("courses:material_download", args=[public.pk])).status_code == 200
    assert not AuditEntry.objects.exists()
    assert MaterialDownload.objects.count() == 1
