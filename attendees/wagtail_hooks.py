"""Admin for programme leads: agencies (with their e-mail domains inline), jurisdictions,
officers waiting for verification, agency requests, and merging a duplicate agency.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .admin.viewsets import (
    AgenciesGroup,
    agency_chooser,
    jurisdiction_chooser,
)


@hooks.register("register_admin_viewset")
def register_choosers():
    return [jurisdiction_chooser, agency_chooser]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return AgenciesGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("muster.officer.sign_up", _("Sign up"), _("Officer signed up"))
    actions.register_action("muster.officer.verify", _("Verify"), _("Officer verified"))
    actions.register_action("muster.officer.reject", _("Reject"), _("Officer rejected"))
    actions.register_action(
        "muster.agency_request.resolve", _("Resolve"), _("Agency request resolved")
    )
    actions.register_action(
        "muster.agency_request.reject", _("Reject"), _("Agency request rejected")
    )
    actions.register_action("muster.agency.merge", _("Merge"), _("Duplicate agency merged in"))
