"""Who may download a course material, and what to tell someone who may not.

One function, `material_access`, decides; the course page, the download view, the My training
page and Wagtail's document URL all ask it, so the rule lives in one place.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles

from . import session_facts
from .models import CourseMaterial

# Staff who write or run the programme read every material, whatever its level.


class Reason:
    """Why access was granted or refused: stable codes tests and templates can rely on."""

    PUBLIC = "public"
    STAFF = "staff"
    VERIFIED = "verified"
    REGISTERED = "registered"
    ATTENDED = "attended"
    TRAINER = "trainer"
    SIGN_IN = "sign_in"
    VERIFY = "verify"
    REGISTER = "register"
    ATTEND = "attend"


@dataclass(frozen=True)
class Access:
    allowed: bool
    reason: str
    # What to do next when refused (empty when allowed), and where to do it.
    message: str = ""
    next_url: str = ""


def is_material_staff(user):
    """Editors and programme leads (superusers included), by the role predicates of
    accounts/roles.py: an account switched off holds neither. Templates ask per material; the
    roles module reads the groups once per user object."""
    return roles.is_programme_lead(user) or roles.is_editor(user)


# One definition of "verified officer" (accounts/roles.py).
is_verified_officer = roles.is_verified_officer


def material_access(user, material, *, participation=None, login_next=""):
    """Decide whether `user` may download `material`.

    `participation` (an object with .registered/.attended for the material's course) may be
    passed by callers that checked many materials at once; otherwise it is read here.
    """
    if material.access == CourseMaterial.Access.PUBLIC:
        return Access(True, Reason.PUBLIC)
    if not getattr(user, "is_authenticated", False):
        login_url = reverse("account_login")
        if login_next:
            from urllib.parse import urlencode

            login_url += "?" + urlencode({"next": login_next})
        return Access(
            False,
            Reason.SIGN_IN,
            _("Sign in with your agency e-mail address to download this material."),
            login_url,
        )
    if is_material_staff(user):
        return Access(True, Reason.STAFF)
    if participation is None:
        participation = session_facts.participation(user, [material.page_id])[material.page_id]
    if participation.trains:
        return Access(True, Reason.TRAINER)
    if not is_verified_officer(user):
        return Access(
            False,
            Reason.VERIFY,
            _(
                "Only officers of a verified agency may download this material. Confirm an "
                "address on your agency's domain, or wait for a programme lead to verify you."
            ),
        )
    if material.access == CourseMaterial.Access.VERIFIED:
        return Access(True, Reason.VERIFIED)
    course_url = material.page.url or ""
    if material.access == CourseMaterial.Access.REGISTRANTS:
        if participation.registered or participation.attended:
            return Access(True, Reason.REGISTERED)
        return Access(
            False,
            Reason.REGISTER,
            _("This material is for officers registered on a session of this course."),
            course_url + "#sessions",
        )
    if participation.attended:
        return Access(True, Reason.ATTENDED)
    return Access(
        False,
        Reason.ATTEND,
        _(
            "This material is for officers who attended a session of this course; it opens "
            "once your trainer records your attendance."
        )
        if participation.registered
        else _(
            "This material is for officers who attended a session of this course. Register "
            "for a session and attend it to download it."
        ),
        course_url + "#sessions",
    )
