"""Who may do what with certificates. Views and services ask here, nowhere else.

Programme leads (and superusers) act on every session; a trainer only on the sessions they
train; an officer only ever reaches their own certificates.
"""

from accounts import roles

# The role predicates live in accounts/roles.py (inactive accounts never count).
is_programme_lead = roles.is_programme_lead
is_trainer_of = roles.trains_session


def can_issue_for_session(user, session):
    """Issue, re-issue, revoke, override and download the ZIP for a session's certificates."""
    if is_programme_lead(user):
        return True
    return user.has_perm("certificates.add_certificate") and is_trainer_of(user, session)


def may_issue_certificates(user):
    """Leads, and trainers (for the sessions they train); editors and officers never."""
    return is_programme_lead(user) or (
        user.is_authenticated and user.has_perm("certificates.add_certificate")
    )


def can_revoke(user, certificate):
    return can_issue_for_session(user, certificate.session)


def can_download_pdf(user, certificate):
    """The certificate's officer, the session's trainers and programme leads."""
    if not user.is_authenticated or not user.is_active:
        return False
    if certificate.officer_id == user.pk:
        return True
    return is_programme_lead(user) or is_trainer_of(user, certificate.session)


def sessions_user_may_issue_for(user, queryset):
    """Narrow a TrainingSession queryset to those the user may issue certificates for."""
    if is_programme_lead(user):
        return queryset
    if not user.has_perm("certificates.add_certificate"):
        return queryset.none()
    return queryset.filter(trainers=user)


def certificates_user_may_see_in_admin(user, queryset):
    if is_programme_lead(user):
        return queryset
    if not user.has_perm("certificates.view_certificate"):
        return queryset.none()
    return queryset.filter(session__trainers=user)
