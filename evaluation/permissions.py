"""Who may see and change what in evaluation. Question sets, knowledge checks and course
settings are the programme's: leads only. A session's results and feedback settings belong to
its trainers and the leads (the sessions app's rule, asked, not copied)."""

from wagtail.permission_policies import ModelPermissionPolicy

from sessions import permissions as session_permissions


def is_programme_lead(user):
    return session_permissions.is_programme_lead(user)


def may_see_results(user):
    return is_programme_lead(user) or session_permissions.is_trainer(user)


def can_see_session_results(user, session):
    return session_permissions.can_manage_session(user, session)


def sessions_for_staff(user, queryset=None):
    return session_permissions.sessions_for_staff(user, queryset)


class LeadOnlyPolicy(ModelPermissionPolicy):
    """Programme leads (and superusers) do everything; nobody else does anything."""

    def user_has_permission(self, user, action):
        return is_programme_lead(user)

    def user_has_any_permission(self, user, actions):
        return is_programme_lead(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return is_programme_lead(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return is_programme_lead(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if is_programme_lead(user):
            return self.model._default_manager.all()
        return self.model._default_manager.none()

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])
