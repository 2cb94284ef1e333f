"""Automatic issuing when a session is marked delivered.

`session_delivered` is defined here for now; the lead moves its definition into the sessions
app at merge (sessions sends it from its "mark delivered" service; certificates listens, so
the dependency still points from certificates to sessions). Off unless
settings.MUSTER_CERTIFICATES_AUTO_ISSUE is true.
"""

from django.conf import settings
from django.dispatch import Signal, receiver

# Sent with `session` and `acting_user` after a session's status becomes delivered.
session_delivered = Signal()


@receiver(session_delivered)
def issue_on_delivery(sender, session, acting_user, **kwargs):
    if not getattr(settings, "MUSTER_CERTIFICATES_AUTO_ISSUE", False):
        return None
    from . import services

    return services.bulk_issue_for_session(session=session, acting_user=acting_user)
