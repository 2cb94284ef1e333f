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


def user(
    *, email=None, role=None, password="pw-test-1234", verified_email=True, mfa=None, **fields
):
    """A user; staff (a role with admin access, is_staff, is_superuser) get an activated TOTP
    authenticator unless mfa=False, as the site requires of them (totp_code() gives a code)."""
    n = next(_seq)
    u = User.objects.create_user(
        email=email or f"user{n}@test.example", password=password, **fields
    )
    if role:
        u.groups.add(Group.objects.get(name=role))
    if verified_email:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)
    if mfa is None:
        from accounts.mfa import requires_mfa

        mfa = requires_mfa(User.objects.get(pk=u.pk))
    if mfa:
        totp(user_obj=u)
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


# Field values every course made by course() gets unless given (tests may change them).
COURSE_DEFAULTS = {}


def course(*, code=None, title=None, live=True, **fields):
    fields = {**COURSE_DEFAULTS, **fields}
    n = next(_seq)
    catalogue = CourseIndexPage.objects.get(locale__language_code="en")
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


def attended(*, session_obj, officer_obj, statuses=("present",)):
    """An officer's confirmed registration on a session and one attendance row per status, on
    the session's days in order (reports count present and late)."""
    from sessions.attendance.services import refresh_participated
    from sessions.models import Attendance, Registration

    registration = Registration.objects.create(
        session=session_obj, officer=officer_obj, status=Registration.Status.CONFIRMED
    )
    days = list(session_obj.days.order_by("date"))
    for day, status in zip(days, statuses, strict=False):
        Attendance.objects.create(
            registration=registration, day=day, status=status, method=Attendance.Method.ROLL_CALL
        )
    refresh_participated([registration.pk])
    return registration


def headcount(*, session_obj, count, agency_obj=None, jurisdiction=None):
    """People counted, not registered: from one agency, or from one jurisdiction (a code)."""
    from sessions.models import Headcount

    return Headcount.objects.create(
        session=session_obj,
        count=count,
        agency=agency_obj,
        jurisdiction=Jurisdiction.objects.get(code=jurisdiction) if jurisdiction else None,
    )


# --- Certificates (issue 6) ------------------------------------------------------------------


def certificate_template(*, key="completion", **fields):
    from certificates.models import CertificateTemplate

    template, _created = CertificateTemplate.objects.get_or_create(
        key=key, defaults={"name": fields.pop("name", key.title()), **fields}
    )
    return template


def delivered_session(*, day_count=5, start=datetime.date(2023, 3, 6), trainer=None, **fields):
    """A delivered session with day_count consecutive days from start."""
    days = [
        (start + datetime.timedelta(days=i), datetime.time(9), datetime.time(16))
        for i in range(day_count)
    ]
    s = session(days=days, status=TrainingSession.Status.DELIVERED, **fields)
    if trainer is not None:
        s.trainers.add(trainer)
    return s


def attendance(*, session_obj, officer_obj, attended, statuses=None):
    """Confirm officer_obj on the session and mark the first `attended` days present, the rest
    absent (or the given per-day statuses)."""
    from sessions.attendance.services import refresh_participated
    from sessions.models import Attendance, Registration

    registration = Registration.objects.create(
        session=session_obj, officer=officer_obj, status=Registration.Status.CONFIRMED
    )
    days = list(session_obj.days.order_by("date"))
    if statuses is None:
        statuses = ["present"] * attended + ["absent"] * (len(days) - attended)
    for day, status in zip(days, statuses, strict=False):
        Attendance.objects.create(
            registration=registration, day=day, status=status, method="roll_call"
        )
    refresh_participated([registration.pk])
    return registration


def pdf_bytes(*, pages=2, text="Course handout"):
    """A small real PDF with `text` on each page, made with reportlab."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for number in range(1, pages + 1):
        c.drawString(72, 720, f"{text} - page {number}")
        c.showPage()
    c.save()
    return buffer.getvalue()


def document(*, title="Handout", filename="handout.pdf", content=None, restricted=True):
    """A Wagtail document; restricted ones go in the private collection, like editors do."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from courses.models import restricted_collection

    doc = get_document_model()(
        title=title,
        collection=restricted_collection() if restricted else Collection.get_first_root_node(),
    )
    doc.file.save(
        filename, ContentFile(content if content is not None else pdf_bytes()), save=False
    )
    doc._set_document_file_metadata()
    doc.save()
    return doc


def material(*, course_obj=None, access="public", label="TLP:CLEAR", doc=None, title=None):
    from courses.models import CourseMaterial

    page = course_obj or course()
    n = next(_seq)
    m = CourseMaterial.objects.create(
        page=page,
        document=doc or document(title=f"Doc {n}", restricted=access != "public"),
        title=title or f"Material {n}",
        access=access,
        label=label,
        sort_order=n,
    )
    return m


def day_attendance(*, registration_obj, status="present"):
    """One attendance row on the first day of the registration's session."""
    from sessions.attendance.services import refresh_participated
    from sessions.models import Attendance

    row = Attendance.objects.create(
        registration=registration_obj,
        day=registration_obj.session.days.first(),
        status=status,
        method="roll_call",
    )
    refresh_participated([registration_obj.pk])
    return row


def totp(*, user_obj, secret=None):
    """Activate a TOTP authenticator (with a real secret) and recovery codes for a user."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    authenticator = TOTP.activate(user_obj, secret or generate_totp_secret()).instance
    RecoveryCodes.activate(user_obj)
    return authenticator


def totp_code(user_obj, *, offset=0):
    """The current TOTP code of a user's authenticator, as their phone would show it; offset
    counts periods from now (-1 is the previous code)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user_obj, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    period = app_settings.TOTP_PERIOD
    # A code read in the last seconds of its period may be stale by the time it is submitted.
    if period - time.time() % period < 4:
        time.sleep(period - time.time() % period + 0.1)
    counter = int(time.time()) // period + offset
    return format_hotp_value(hotp_value(secret, counter))
