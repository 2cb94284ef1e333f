"""The officer's certificates as a section of the "My training" page.

The page (sessions/my_training.py) collects sections through the
`muster_my_training_sections` hook so it never imports certificates; certificates/wagtail_hooks.py
registers this one.
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
