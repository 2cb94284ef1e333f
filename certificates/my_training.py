"""The officer's certificates as a section of the "My training" page.

The page (accounts/attendees) collects sections through the `muster_my_training_sections`
hook so it never imports certificates; the lead registers `certificates_section` with that
hook at merge.
"""

from django.utils.translation import gettext as _

from . import selectors


def certificates_section(request):
    certificates = list(selectors.certificates_of_officer(request.user))
    return {
        "title": _("My certificates"),
        "template": "certificates/my_training_section.html",
        "context": {"title": _("My certificates"), "certificates": certificates},
    }
