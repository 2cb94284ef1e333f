"""Demo personal-data activity: one officer waiting for their account to be erased, and an
export of the demo officer's own data, so the lead sees both in the admin (Erasure requests,
Audit log). The certificates demo (services.bulk_issue/revoke/reissue) already fills the audit
log with issues, a revocation and a re-issue."""

from django.contrib.auth import get_user_model

from audit.models import AuditEntry
from audit.services import record
from privacy.services import request_erasure

from . import data


def build_privacy(demo):
    login_emails = {email for _role, email, *_rest in data.LOGINS}
    candidates = [user for user in demo.officers if user.email not in login_emails]
    if candidates:
        leaving = demo.rng.choice(candidates)
        request_erasure(user=leaving, acting_user=leaving)
    officer = get_user_model().objects.filter(email=data.LOGINS[0][1]).first()
    if officer is not None:
        record(
            actor=officer,
            action=AuditEntry.Action.PERSONAL_DATA_EXPORTED,
            target=officer,
            subject=officer,
            after={"export": "personal_data"},
        )
