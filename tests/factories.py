"""Small builders for test data. Each makes the least a test needs and returns the object."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from attendees.models import Agency, AgencyDomain, Jurisdiction, OfficerProfile
from courses.models import CourseIndexPage, CoursePage
from sessions.models import SessionDay, TrainingSession

User = get_user_model()
_seq = itertools.count(1)


def user(*, email=None, role=None, password="pw-test-1234", verified_email=True, **fields):
    n = next(_seq)
    u = User.objects.create_user(
        email=email or f"user{n}@test.example", password=password, **fields
    )
    if role:
        u.groups.add(Group.objects.get(name=role))
    if verified_email:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)
    return u


def agency(*, name=None, country="HK", type="police", domain=None):
    n = next(_seq)
    a = Agency.objects.create(
        name=name or f"Agency {n}",
        type=type,
        jurisdiction=Jurisdiction.objects.get(code=country),
    )
    if domain:
        AgencyDomain.objects.create(agency=a, domain=domain)
    return a


def officer(*, agency_obj=None, verified=True, **fields):
    u = user(role=roles.OFFICER, **fields)
    OfficerProfile.objects.create(
        user=u,
        agency=agency_obj or agency(),
        verification=(
            OfficerProfile.Verification.VERIFIED
            if verified
            else OfficerProfile.Verification.PENDING
        ),
    )
    return u


def course(*, code=None, title=None, live=True, **fields):
    n = next(_seq)
    catalogue = CourseIndexPage.objects.get()
    page = CoursePage(
        title=title or f"Course {n}",
        code=code or f"TST-{n:03d}",
        summary=fields.pop("summary", "A course for tests."),
        live=live,
        **fields,
    )
    catalogue.add_child(instance=page)
    return page


def session(
    *,
    course_obj=None,
    days=None,
    time_zone="Europe/London",
    status=TrainingSession.Status.SCHEDULED,
    **fields,
):
    """A session with the given days: a list of (date, start time, end time) in local time."""
    n = next(_seq)
    s = TrainingSession.objects.create(
        reference=fields.pop("reference", f"T-{n:05d}"),
        course=course_obj or course(),
        time_zone=time_zone,
        status=status,
        cancellation_reason="Cancelled in a test." if status == "cancelled" else "",
        **fields,
    )
    for date, start, end in days or [
        (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17))
    ]:
        SessionDay.objects.create(session=s, date=date, start_time=start, end_time=end)
    s.refresh_schedule()
    return s


def agency_request(*, officer_obj=None, name="Atlantis Cyber Police", country="HK", **fields):
    """An open "my agency is not listed" request from a pending officer without an agency."""
    from attendees.models import AgencyRequest

    if officer_obj is None:
        officer_obj = user(role=roles.OFFICER, **fields.pop("user_fields", {}))
        OfficerProfile.objects.create(user=officer_obj, agency=None)
    return AgencyRequest.objects.create(
        officer=officer_obj.officer_profile,
        name=name,
        country=Jurisdiction.objects.get(code=country),
        **fields,
    )


def trainer(**fields):
    return user(role=roles.TRAINER, **fields)


def lead(**fields):
    return user(role=roles.PROGRAMME_LEAD, **fields)


def registration(*, session_obj, officer_obj=None, status="confirmed"):
    from sessions.models import Registration

    return Registration.objects.create(
        session=session_obj, officer=officer_obj or officer(), status=status
    )


def training_request(*, requester=None, course_obj=None, topic="", **fields):
    from sessions.models import TrainingRequest

    requester = requester or officer()
    if course_obj is None and not topic:
        course_obj = course()
    return TrainingRequest.objects.create(
        requester=requester,
        agency=requester.officer_profile.agency,
        course=course_obj,
        topic=topic,
        expected_participants=fields.pop("expected_participants", 25),
        **fields,
    )
