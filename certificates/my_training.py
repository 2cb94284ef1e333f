"""The officer's certificates as a section of the "My training" page.

The page (sessions/my_training.py) collects sections through the
`muster_my_training_sections` hook so it never imports certificates; certificates/wagtail_hooks.py
registers this one.
"""

from django.utils.translation import gettext as _

from . import selectors


def certificates_section(request):
    # The signed credential beside the PDF (credentials/, reached by its related name only).
    certificates = list(
        selectors.certificates_of_officer(request.user).select_related("credential")
    )
    for certificate in certificates:
        certificate.has_credential = hasattr(certificate, "credential")
    return {
        "title": _("My certificates"),
        "template": "certificates/my_training_section.html",
        "context": {"title": _("My certificates"), "certificates": certificates},
    }
