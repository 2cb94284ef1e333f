"""The access matrix: every access level against every kind of visitor, through the one
decision function and through the download view that relies on it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import roles
from courses.permissions import Reason, material_access
from tests import factories

pytestmark = pytest.mark.django_db

ALLOW = "allow"
# level -> persona -> expected reason when refused, or ALLOW
MATRIX = {
    "public": dict.fromkeys(
        [
            "anonymous",
            "unverified",
            "trainer",
            "course_trainer",
            "verified",
            "registrant",
            "attendee",
            "editor",
            "lead",
            "superuser",
        ],
        ALLOW,
    ),
    "verified": {
        "anonymous": Reason.SIGN_IN,
        "unverified": Reason.VERIFY,
        "trainer": Reason.VERIFY,
        # A trainer of one of the course's sessions needs its handouts to teach it.
        "course_trainer": ALLOW,
        "verified": ALLOW,
        "registrant": ALLOW,
        "attendee": ALLOW,
        "editor": ALLOW,
        "lead": ALLOW,
        "superuser": ALLOW,
    },
    "registrants": {
        "anonymous": Reason.SIGN_IN,
        "unverified": Reason.VERIFY,
        "trainer": Reason.VERIFY,
        # A trainer of one of the course's sessions needs its handouts to teach it.
        "course_trainer": ALLOW,
        "verified": Reason.REGISTER,
        "registrant": ALLOW,
        "attendee": ALLOW,
        "editor": ALLOW,
        "lead": ALLOW,
        "superuser": ALLOW,
    },
    "attendees": {
        "anonymous": Reason.SIGN_IN,
        "unverified": Reason.VERIFY,
        "trainer": Reason.VERIFY,
        # A trainer of one of the course's sessions needs its handouts to teach it.
        "course_trainer": ALLOW,
        "verified": Reason.ATTEND,
        "registrant": Reason.ATTEND,
        "attendee": ALLOW,
        "editor": ALLOW,
        "lead": ALLOW,
        "superuser": ALLOW,
    },
}
MESSAGES = {
    Reason.SIGN_IN: "Sign in with your agency e-mail address",
    Reason.VERIFY: "Only officers of a verified agency may download",
    Reason.REGISTER: "for officers registered on a session of this course",
    Reason.ATTEND: "for officers who attended a session of this course",
}


def label_for(level):
    return "TLP:CLEAR" if level == "public" else "TLP:GREEN"


CASES = [(level, persona) for level, row in MATRIX.items() for persona in row]


def make_persona(persona, course):
    if persona == "anonymous":
        return AnonymousUser()
    if persona == "unverified":
        return factories.officer(verified=False)
    if persona == "trainer":
        return factories.user(role=roles.TRAINER)
    if persona == "course_trainer":
        trainer = factories.user(role=roles.TRAINER)
        factories.session(course_obj=course).trainers.add(trainer)
        return trainer
    if persona == "editor":
        return factories.user(role=roles.EDITOR)
    if persona == "lead":
        return factories.user(role=roles.PROGRAMME_LEAD)
    if persona == "superuser":
        return factories.user(is_superuser=True, is_staff=True)
    officer = factories.officer()
    if persona in ("registrant", "attendee"):
        session = factories.session(course_obj=course)
        reg = factories.registration(session_obj=session, officer_obj=officer)
        if persona == "attendee":
            factories.day_attendance(registration_obj=reg)
    return officer


@pytest.mark.parametrize(("level", "persona"), CASES)
def test_access_decision(level, persona):
    course = factories.course()
    material = factories.material(course_obj=course, access=level, label=label_for(level))
    user = make_persona(persona, course)
    access = material_access(user, material)
    expected = MATRIX[level][persona]
    if expected == ALLOW:
        assert access.allowed, access
    else:
        assert not access.allowed
        assert access.reason == expected
        assert MESSAGES[expected] in str(access.message)


@pytest.mark.parametrize(("level", "persona"), CASES)
def test_download_view_follows_the_matrix(client, level, persona):
    course = factories.course()
    material = factories.material(course_obj=course, access=level, label=label_for(level))
    user = make_persona(persona, course)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(f"/courses/materials/{material.pk}/download/")
    expected = MATRIX[level][persona]
    if expected == ALLOW:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code == 403
        html = response.content.decode()
        assert MESSAGES[expected] in html
        assert f'data-reason="{expected}"' in html


def test_a_waitlisted_or_cancelled_place_is_not_a_registration():
    course = factories.course()
    material = factories.material(course_obj=course, access="registrants")
    officer = factories.officer()
    session = factories.session(course_obj=course)
    factories.registration(session_obj=session, officer_obj=officer, status="waitlisted")
    assert material_access(officer, material).reason == Reason.REGISTER


@pytest.mark.parametrize(
    ("status", "allowed"),
    [("present", True), ("late", True), ("excused", False), ("absent", False)],
)
def test_attendance_counts_only_when_present_or_late(status, allowed):
    course = factories.course()
    material = factories.material(course_obj=course, access="attendees")
    officer = factories.officer()
    reg = factories.registration(
        session_obj=factories.session(course_obj=course), officer_obj=officer
    )
    factories.day_attendance(registration_obj=reg, status=status)
    assert material_access(officer, material).allowed is allowed


def test_registration_on_another_course_does_not_count():
    course, other = factories.course(), factories.course()
    material = factories.material(course_obj=course, access="registrants")
    officer = factories.officer()
    factories.registration(session_obj=factories.session(course_obj=other), officer_obj=officer)
    assert material_access(officer, material).reason == Reason.REGISTER


def test_a_registrant_whose_verification_was_withdrawn_is_refused():
    course = factories.course()
    material = factories.material(course_obj=course, access="registrants")
    officer = factories.officer()
    factories.registration(session_obj=factories.session(course_obj=course), officer_obj=officer)
    officer.officer_profile.verification = "rejected"
    officer.officer_profile.rejection_reason = "Left the agency."
    officer.officer_profile.save()
    officer.refresh_from_db()
    assert material_access(officer, material).reason == Reason.VERIFY


def test_refusal_for_anonymous_links_to_sign_in_and_back(client):
    material = factories.material(access="verified")
    response = client.get(f"/courses/materials/{material.pk}/download/")
    assert response.status_code == 403
    assert "/accounts/login/?next=%2Fcourses%2Fmaterials%2F" in response.content.decode()


# --- Material staff: the role predicates of accounts/roles.py, nothing of its own ------------


@pytest.mark.parametrize("role", [roles.EDITOR, roles.PROGRAMME_LEAD])
def test_an_active_editor_or_lead_is_material_staff_and_a_switched_off_one_is_not(role):
    from courses.permissions import is_material_staff

    active = factories.user(role=role)
    assert is_material_staff(active)
    switched_off = factories.user(role=role, is_active=False)
    assert not is_material_staff(switched_off)


def test_a_trainer_or_officer_is_not_material_staff():
    from courses.permissions import is_material_staff

    assert not is_material_staff(factories.user(role=roles.TRAINER))
    assert not is_material_staff(factories.officer())
    assert not is_material_staff(AnonymousUser())
