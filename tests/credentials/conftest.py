import pytest

from accounts import roles
from courses.models import CoursePage
from tests import factories


@pytest.fixture(autouse=True)
def own_key(settings, tmp_path):
    """Every test signs with a key of its own, in a folder of its own."""
    settings.MUSTER_CREDENTIAL_PRIVATE_KEY = ""
    settings.MUSTER_CREDENTIAL_KEY_FILE = tmp_path / "keys" / "issuer-key.pem"
    settings.MUSTER_CREDENTIAL_KEY_GENERATE = True
    settings.MUSTER_SITE_HOST = "training.example"
    return settings.MUSTER_CREDENTIAL_KEY_FILE


@pytest.fixture
def lead():
    return factories.user(role=roles.PROGRAMME_LEAD)


@pytest.fixture
def issue(monkeypatch, lead):
    """Issue a certificate (and so its credential) to a new officer of a delivered session."""
    values = {"certificate_attendance_percent": 80, "certificate_template": "completion"}
    for name, value in values.items():
        monkeypatch.setitem(factories.COURSE_DEFAULTS, name, value)
    CoursePage.objects.update(**values)

    def make(*, validity_months=None, officer=None, **session_fields):
        from certificates import services

        template = factories.certificate_template()
        if validity_months is not None:
            template.validity_months = validity_months
            template.save()
        session = factories.delivered_session(day_count=2, **session_fields)
        officer = officer or factories.officer(first_name="Mei", last_name="Cheung")
        factories.attendance(session_obj=session, officer_obj=officer, attended=2)
        return services.issue_certificate(session=session, officer=officer, acting_user=lead)

    return make
