"""Who may see and change which sessions and training requests.

Trainers touch only the sessions they train; programme leads and superusers touch all of them.
The admin viewsets, the exports and every view in this app ask these functions, so the rule
lives in one place.
"""

from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy

from accounts import roles

from .models import TrainingSession

# The role predicates live in accounts/roles.py; these names stay for the callers of this app.
is_programme_lead = roles.is_programme_lead
is_trainer = roles.is_trainer


def sees_all_sessions(user):
    return is_programme_lead(user)


def sessions_for_staff(user, queryset=None):
    """The sessions this person may see, change and export in the admin."""
    queryset = TrainingSession.objects.all() if queryset is None else queryset
    if sees_all_sessions(user):
        return queryset
    if not roles.is_active_account(user):
        return queryset.none()
    return queryset.filter(
        pk__in=TrainingSession.trainers.through.objects.filter(user_id=user.pk).values(
            "trainingsession_id"
        )
    )


def can_manage_session(user, session):
    return sees_all_sessions(user) or roles.trains_session(user, session)


def can_decide_registrations(user, session):
    """Who approves or rejects pending registrations on a session that needs approval: the
    programme leads (they own the programme and its audiences) and the session's own trainers
    (they know the room, the level and who should be in it). Another trainer has no say over a
    session they do not train, and officers never decide."""
    return can_manage_session(user, session)


def can_handle_training_requests(user):
    return is_programme_lead(user) or (
        getattr(user, "is_authenticated", False)
        and user.has_perm("training_sessions.change_trainingrequest")
    )


def can_request_training(user):
    """Only verified officers with an agency (accounts/roles.py, the one home of the rule)."""
    return roles.may_request_training(user)


def managed_session_or_404(request, reference):
    """The session if the user is one of its trainers or a lead; 404 for anyone else, so the
    page does not even confirm the session has a roster."""
    try:
        session = TrainingSession.objects.select_related("course").get(reference=reference)
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    if not can_manage_session(request.user, session):
        raise Http404
    return session


class TrainingSessionPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the groups, narrowed to the sessions a person trains (unless they
    see all). Registered for TrainingSession in apps.py so every Wagtail check uses it."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_manage_session(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and can_manage_session(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return TrainingSession.objects.none()
        return sessions_for_staff(user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


session_permission_policy = TrainingSessionPermissionPolicy(TrainingSession)
