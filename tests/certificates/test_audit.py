"""Issuing, re-issuing, overriding and revoking certificates leave audit entries."""

import pytest

from accounts import roles
from audit.models import AuditEntry
from certificates import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(course_rules):
    factories.certificate_template()
    trainer = factories.user(role=roles.TRAINER)
    session = factories.delivered_session(day_count=5, trainer=trainer)
    officer = factories.officer(first_name="Mei", last_name="Cheung")
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    return session, trainer, officer


def test_issue_reissue_and_revoke(setup):
    session, trainer, officer = setup
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=trainer)
    issued = AuditEntry.objects.get(action="certificate.issued")
    assert issued.before is None and issued.subject == officer
    assert issued.after["serial"] == certificate.serial
    assert issued.after["officer_name"] == "Mei Cheung"

    new = services.reissue(certificate=certificate, reason="Name fixed.", acting_user=trainer)
    reissued = AuditEntry.objects.get(action="certificate.reissued")
    assert reissued.before["serial"] == certificate.serial
    assert reissued.after["serial"] == new.serial and reissued.after["reason"] == "Name fixed."

    services.revoke(certificate=new, reason="Fraud.", acting_user=trainer)
    revoked = AuditEntry.objects.get(action="certificate.revoked")
    assert revoked.before == {"serial": new.serial, "revoked": False}
    assert revoked.after == {"serial": new.serial, "revoked": True, "reason": "Fraud."}


def test_overrides_keep_the_previous_decision(setup):
    session, trainer, officer = setup
    services.set_override(
        session=session, officer=officer, eligible=False, reason="Left early.", acting_user=trainer
    )
    services.set_override(
        session=session, officer=officer, eligible=True, reason="Made up.", acting_user=trainer
    )
    services.clear_override(session=session, officer=officer, acting_user=trainer)
    entries = list(
        AuditEntry.objects.filter(action="certificate.overridden").order_by("created_at", "pk")
    )
    ref = session.reference
    assert [(e.before, e.after) for e in entries] == [
        (None, {"session": ref, "eligible": False, "reason": "Left early."}),
        (
            {"session": ref, "eligible": False, "reason": "Left early."},
            {"session": ref, "eligible": True, "reason": "Made up."},
        ),
        ({"session": ref, "eligible": True, "reason": "Made up."}, None),
    ]
