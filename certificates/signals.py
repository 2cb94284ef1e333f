"""Automatic issuing when a session is marked delivered.

sessions sends `session_delivered` from its change_status service once the transaction commits;
certificates listens, so the dependency still points from certificates to sessions. Off unless
settings.MUSTER_CERTIFICATES_AUTO_ISSUE is true.
"""

from django.conf import settings
from django.dispatch import Signal, receiver

from sessions.signals import session_delivered

# Sent by certificates/services.py inside the writing transaction, so a receiver's writes (the
# signed credential, the status list bit: credentials/) commit or roll back with the
# certificate. Receivers raise to refuse; the certificate write rolls back with them.
certificate_issued = Signal()  # certificate
certificate_ended = Signal()  # certificate (revoked, or superseded by a re-issue)


@receiver(session_delivered)
def issue_on_delivery(sender, session, acting_user, **kwargs):
    if not getattr(settings, "MUSTER_CERTIFICATES_AUTO_ISSUE", False):
        return None
    from . import services

    return services.bulk_issue_for_session(session=session, acting_user=acting_user)
