"""Every URL the project serves, requested as every kind of person, against a reviewed table.

The list of URLs comes from the URL configuration itself, so a URL added without a row in
MATRIX fails `test_every_url_has_a_row`, and a row whose URL is gone fails it too. Third-party
URLs (Wagtail's own admin, allauth) are not ours to police URL by URL; they are listed by
namespace or name prefix in THIRD_PARTY with the reason, and anything neither ours nor listed
fails as well. A URL is "ours" when its view lives in one of our apps or its admin views
(Wagtail viewsets, snippets) edit one of our models.

Outcomes:
    OK      200
    LOGIN   a redirect to the sign-in page (the person is anonymous)
    STAFF   403 with the page saying the admin is for staff (signed in, no admin access)
    ADMIN   Wagtail refused: a redirect to the admin's home or sign-in with an error message
    DENIED  403
    HIDDEN  404: another person's object, or an object this person may not know exists
    POST    405: the URL takes POST only (the table checks the GET answer)
    REFUSED 400: the request is understood but refused (a stale or foreign check-in code)
    REDIRECT a redirect elsewhere on the site (back to the page, with a message saying what
             happened or why not)
"""

import datetime
import functools
import zoneinfo
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import roles
from tests import factories
from tests.clients import MusterClient as Client
from tests.shared import shared_rows

pytestmark = pytest.mark.django_db

STAFF = "STAFF"
OK, LOGIN, ADMIN, DENIED, HIDDEN, POST, REFUSED, REDIRECT = (
    "OK",
    "LOGIN",
    "ADMIN",
    "DENIED",
    "HIDDEN",
    "POST",
    "REFUSED",
    "REDIRECT",
)
ROLES = (
    "anonymous",
    "unverified",
    "officer",
    "other_officer",
    "trainer",
    "other_trainer",
    "lead",
    "editor",
)

OUR_APPS = (
    "accounts",
    "attendees",
    "courses",
    "sessions",
    "certificates",
    "credentials",
    "reports",
    "audit",
    "privacy",
    "evaluation",
    "jobs",
    "coordinators",
    "communications",
)
OUR_MODEL_APP_LABELS = (
    "accounts",
    "attendees",
    "courses",
    "training_sessions",
    "certificates",
    "credentials",
    "reports",
    "audit",
    "privacy",
    "evaluation",
    "coordinators",
    "communications",
)

# Third-party URLs, by namespace or name prefix, and why they are not in the table.
THIRD_PARTY = {
    "wagtailadmin_": "Wagtail's own admin views; their access is Wagtail's permission system, "
    "checked for our roles in tests/accounts/test_roles.py and the admin tests",
    "wagtail": "Wagtail's own admin apps (pages, images, documents, users' groups, workflows)",
    "account_": "allauth's sign-in, sign-up and password pages: public by design",
    "mfa_": "allauth's MFA pages: for the signed-in person's own account",
    "usersessions_": "allauth's session list: for the signed-in person's own account",
    "socialaccount_": "allauth social accounts (not enabled)",
    "headless": "allauth headless (not enabled)",
    "wagtaildocs_": "Wagtail's document serving: our documents are served by the "
    "access-checked material download view; Wagtail's serve view is tested in tests/courses",
    "wagtail_serve": "Wagtail page serving (the catalogue: public pages)",
    "django.views.static": "media files in DEBUG only",
    "admin/test404/": "Wagtail's page for trying its own 404 handling",
}


@dataclass
class World:
    """The people and objects every row is requested against."""

    people: dict = field(default_factory=dict)
    session: object = None
    delivered: object = None
    registration: object = None
    certificate: object = None
    token: object = None
    material: object = None
    download: object = None
    training_request: object = None
    agency_request: object = None
    agency: object = None
    topic: object = None
    language: object = None
    template: object = None
    audit_entry: object = None
    erasure: object = None
    question_set: object = None
    knowledge_check: object = None
    course_evaluation: object = None
    # Agency coordinators (not among ROLES: COORDINATOR_MATRIX below asks as them).
    coordinators: dict = field(default_factory=dict)
    coordinator_row: object = None
    nomination_session: object = None
    nomination: object = None


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The people and objects of the matrix, made once for the module rather than once per
    namespace (tests/shared.py); each test runs in its own savepoint inside."""

    def build():
        with pytest.MonkeyPatch.context() as monkeypatch:
            # Courses made here carry a certificate rule, so the delivered session can certify.
            monkeypatch.setitem(factories.COURSE_DEFAULTS, "certificate_attendance_percent", 80)
            monkeypatch.setitem(factories.COURSE_DEFAULTS, "certificate_template", "completion")
            return _build_world()

    yield from shared_rows(django_db_blocker, build)


@pytest.fixture
def world(shared_world, db):
    return shared_world


def _build_world():
    from certificates import services as certificate_services
    from courses.models import Language, MaterialDownload, Topic
    from sessions.schedule import services as schedule_services

    w = World()
    w.agency = factories.agency(domain="police.example")
    w.people = {
        "anonymous": None,
        "unverified": factories.officer(verified=False),
        "officer": factories.officer(agency_obj=w.agency),
        "other_officer": factories.officer(),
        "trainer": factories.trainer(),
        "other_trainer": factories.trainer(),
        "lead": factories.lead(),
        "editor": factories.user(role=roles.EDITOR),
    }
    officer = w.people["officer"]
    trainer = w.people["trainer"]
    # The session's own date (factories.session is in Europe/London): QR check-in codes work on
    # their own day only, so the machine's date would fail near midnight.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo("Europe/London"))
    w.session = factories.session(
        days=[(today, datetime.time(0), datetime.time(23, 59))], reference="MX-0001"
    )
    w.session.trainers.add(trainer)
    other = factories.session(reference="MX-0002")
    other.trainers.add(w.people["other_trainer"])
    w.registration = factories.registration(session_obj=w.session, officer_obj=officer)
    w.delivered = factories.delivered_session(trainer=trainer, day_count=1, reference="MX-0003")
    factories.certificate_template()
    factories.attendance(session_obj=w.delivered, officer_obj=officer, attended=1)
    w.certificate = certificate_services.issue_certificate(
        session=w.delivered, officer=officer, acting_user=w.people["lead"]
    )
    w.token = schedule_services.feed_token_for(user=officer)
    w.material = factories.material(course_obj=w.session.course, access="registrants")
    w.download = MaterialDownload.objects.create(
        user=officer, material=w.material, title="x", label="TLP:CLEAR", course_code="X"
    )
    w.training_request = factories.training_request(requester=officer)
    w.agency_request = factories.agency_request()
    w.topic = Topic.objects.create(name="Tracing", slug="tracing")
    w.language = Language.objects.first() or Language.objects.create(code="en", name="English")
    w.template = factories.certificate_template()
    from audit.models import AuditEntry
    from privacy.models import ErasureRequest

    w.audit_entry = AuditEntry.objects.order_by("pk").first()
    w.erasure = ErasureRequest.objects.create(user=w.people["other_officer"])
    from evaluation.models import CourseEvaluation, KnowledgeCheck, QuestionSet

    w.question_set = QuestionSet.objects.get(is_programme_default=True)
    w.knowledge_check = KnowledgeCheck.objects.create(course=w.session.course, kind="post")
    w.course_evaluation = CourseEvaluation.objects.create(course=w.session.course)
    from jobs.models import ImportJob

    # A roster import the session's trainer started: theirs and the leads' to follow.
    w.import_job = ImportJob.objects.create(
        kind=ImportJob.Kind.ROSTER, title="Roster import", started_by=w.people["trainer"]
    )
    from coordinators import services as coordinator_services

    # The officer's agency's coordinator, and another agency's; a pending nomination of the
    # officer on a session by nomination.
    other_agency = factories.agency()
    w.coordinators = {
        "coordinator": factories.officer(agency_obj=w.agency),
        "other_coordinator": factories.officer(agency_obj=other_agency),
    }
    w.coordinator_row = coordinator_services.grant_coordinator(
        user=w.coordinators["coordinator"], agency=w.agency, acting_user=w.people["lead"]
    )
    coordinator_services.grant_coordinator(
        user=w.coordinators["other_coordinator"], agency=other_agency, acting_user=w.people["lead"]
    )
    w.nomination_session = factories.session(
        days=[(today + datetime.timedelta(days=30), datetime.time(9), datetime.time(17))],
        reference="MX-0004",
        eligibility="nomination",
    )
    w.nomination = coordinator_services.nominate(
        session=w.nomination_session, officer=officer, acting_user=w.coordinators["coordinator"]
    )
    return w


def _checkin_query(w):
    from sessions import checkin

    return "code=" + checkin.make_token(w.session.days.get())


# What each URL is called with: URL name -> function of the world giving its kwargs (and,
# optionally, a query string function).
def _session(w):
    return {"reference": w.session.reference}


def _day(w):
    return {"reference": w.session.reference, "date": w.session.days.get().date.isoformat()}


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


KWARGS = {
    "coordinators:officer": lambda w: {"officer_id": w.people["officer"].pk},
    "coordinators:export": lambda w: {"fmt": "csv"},
    "coordinators:nominate": lambda w: {"reference": w.nomination_session.reference},
    "coordinators:respond": _pk("nomination"),
    "jobs:detail": lambda w: {"job_id": w.import_job.pk},
    "jobs:progress": lambda w: {"job_id": w.import_job.pk},
    "training_sessions:detail": _session,
    "training_sessions:roster": _session,
    "training_sessions:roll_call": _session,
    "training_sessions:decide_registrations": _session,
    "training_sessions:walk_in": _session,
    "training_sessions:checkin_code": _day,
    "training_sessions:checkin": _day,
    "training_sessions:export": lambda w: {**_session(w), "table": "roster", "fmt": "csv"},
    "training_sessions:sign_in_sheet": _session,
    "training_sessions:roster_import": _session,
    "training_sessions:headcounts": _session,
    "training_sessions:register": _session,
    "training_sessions:cancel_registration": _pk("registration"),
    "training_sessions:calendar": _session,
    "training_sessions:personal_feed": lambda w: {"token": w.token.token},
    "feeds:session": _session,
    "feeds:personal": lambda w: {"token": w.token.token},
    "courses:material_download": _pk("material"),
    "certificates:verify": lambda w: {"code": w.certificate.verification_code},
    "certificates:pdf": lambda w: {"serial": w.certificate.serial},
    "credentials:download_jwt": lambda w: {"serial": w.certificate.serial},
    "api_v1:certificate_status": lambda w: {"code": w.certificate.verification_code},
    "credentials:download_json": lambda w: {"serial": w.certificate.serial},
    "certificates_admin:issue_session": lambda w: {"pk": w.delivered.pk},
    "session_choices:search": lambda w: {"kind": "jurisdiction"},
    "certificates_admin:session_zip": lambda w: {"pk": w.delivered.pk},
    "certificates_admin:revoke": _pk("certificate"),
    "certificates_admin:reissue": _pk("certificate"),
    "certificates_admin:template_preview": _pk("template"),
    "reports:export": lambda w: {"key": "by_country", "fmt": "csv"},
    # The officer attended the delivered session; its form closed long ago (the page says so).
    "evaluation:feedback": lambda w: {"reference": w.delivered.reference},
    "evaluation:feedback_code": lambda w: {"reference": w.delivered.reference},
    "evaluation:knowledge_check": lambda w: {**_session(w), "kind": "post"},
    "evaluation_admin:session_results": lambda w: {"pk": w.delivered.pk},
    "communications_admin:compose": _pk("session"),
    "communications_admin:session_messages": _pk("session"),
    "communications_admin:session_notices": _pk("session"),
    "agency_requests:decide": _pk("agency_request"),
    "sessions:status": _pk("session"),
    "sessions:schedule_again": _pk("session"),
    "training_requests:accept": _pk("training_request"),
    "training_requests:decline": _pk("training_request"),
}
QUERY = {"training_sessions:checkin": _checkin_query}

# Viewset URLs take the pk of the viewset's own object.
VIEWSET_OBJECT = {
    "agency_coordinators": "coordinator_row",
    "nominations": "nomination",
    "agencies": "agency",
    "officers": lambda w: w.people["officer"].officer_profile,
    "agency_requests": "agency_request",
    "jurisdictions": lambda w: w.agency.jurisdiction,
    "jurisdiction_chooser": lambda w: w.agency.jurisdiction,
    "agency_chooser": "agency",
    "material_downloads": "download",
    "sessions": "session",
    "training_requests": "training_request",
    "issued_certificates": "certificate",
    "wagtailsnippets_courses_topic": "topic",
    "wagtailsnippetchoosers_courses_topic": "topic",
    "wagtailsnippets_courses_language": "language",
    "wagtailsnippetchoosers_courses_language": "language",
    "wagtailsnippets_certificates_certificatetemplate": "template",
    "wagtailsnippetchoosers_certificates_certificatetemplate": "template",
    "wagtailusers_users": lambda w: w.people["officer"],
    "audit_log": "audit_entry",
    "privacy_erasures": "erasure",
    "evaluation_question_sets": "question_set",
    "evaluation_knowledge_checks": "knowledge_check",
    "evaluation_course_settings": "course_evaluation",
}


def _is_ours(callback):
    view = getattr(callback, "view_class", None) or callback
    if view.__module__.split(".")[0] in OUR_APPS:
        return True
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    if model is not None and not isinstance(model, str):
        return model._meta.app_label in OUR_MODEL_APP_LABELS
    return False


def _walk(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, ns, route)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, pattern, route


# Namespaces whose views a framework builds from our functions (Django Ninja's operations for
# api/v1.py): their callbacks live in the framework's modules, the URLs are ours.
OUR_NAMESPACES = ("api_v1:",)


def our_url_names():
    """(ours, unaccounted): the URL names of our views, and URLs neither ours nor listed."""
    ours, unaccounted = set(), set()
    for name, pattern, route in _walk(get_resolver().url_patterns):
        if _is_ours(pattern.callback) or (name or "").startswith(OUR_NAMESPACES):
            ours.add(name or f"<unnamed {route}>")
            continue
        keys = (name or "", pattern.callback.__module__, route)
        if not any(key.startswith(prefix) for key in keys for prefix in THIRD_PARTY):
            unaccounted.add(name or route)
    return ours, unaccounted


def url_for(name, w):
    if name in KWARGS:
        kwargs = KWARGS[name](w)
    else:
        kwargs = {}
        namespace = name.split(":")[0]
        if namespace in VIEWSET_OBJECT:
            resolver_kwargs = _pattern_kwargs(name)
            if resolver_kwargs:
                source = VIEWSET_OBJECT[namespace]
                obj = source(w) if callable(source) else getattr(w, source)
                kwargs = {resolver_kwargs[0]: obj.pk}
    url = reverse(name, kwargs=kwargs)
    if name in QUERY:
        url += "?" + QUERY[name](w)
    return url


@functools.cache
def _kwargs_by_name(resolver):
    """URL name -> its keyword arguments, read once per URL configuration (not once per URL)."""
    return {
        found: list(pattern.pattern.regex.groupindex)
        for found, pattern, _route in _walk(resolver.url_patterns)
        if found
    }


def _pattern_kwargs(name):
    return _kwargs_by_name(get_resolver()).get(name, [])


def outcome(response):
    status = response.status_code
    if status in (301, 302):
        location = response.headers["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        # Wagtail answers "permission denied" with its home page and a message.
        if location == reverse("wagtailadmin_home"):
            return ADMIN
        return REDIRECT
    if status == 403 and b"data-admin-for-staff" in response.content:
        return STAFF
    return {200: OK, 400: REFUSED, 403: DENIED, 404: HIDDEN, 405: POST}.get(status, str(status))


# Rows that recur, named for who gets through.
EVERYONE = (OK, OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK)
# Pages about one's own officer profile; staff accounts have none.
OFFICERS = (LOGIN, OK, OK, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
POST_ONLY = (LOGIN, POST, POST, POST, POST, POST, POST, POST)
# Public-site pages for the session's trainers and programme leads; everyone else is told the
# session's page does not exist.
SESSION_STAFF = (LOGIN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, HIDDEN)
SESSION_STAFF_ACTS = (LOGIN, HIDDEN, HIDDEN, HIDDEN, REDIRECT, HIDDEN, REDIRECT, HIDDEN)
# Admin pages. Officers are not let into the admin (sent to sign in as someone else).
ADMIN_USERS = (LOGIN, STAFF, STAFF, STAFF, OK, OK, OK, OK)
TRAINERS_AND_LEADS = (LOGIN, STAFF, STAFF, STAFF, OK, OK, OK, ADMIN)
SESSION_STAFF_IN_ADMIN = (LOGIN, STAFF, STAFF, STAFF, OK, HIDDEN, OK, HIDDEN)
LEAD_ONLY = (LOGIN, STAFF, STAFF, STAFF, ADMIN, ADMIN, OK, ADMIN)
LEADS_AND_EDITORS = (LOGIN, STAFF, STAFF, STAFF, ADMIN, ADMIN, OK, OK)
EDITOR_ONLY = (LOGIN, STAFF, STAFF, STAFF, ADMIN, ADMIN, ADMIN, OK)
# Views no role may open (records written only by services, such as certificates and the
# download log, and user accounts, which only superusers manage).
NO_ROLE = (LOGIN, STAFF, STAFF, STAFF, ADMIN, ADMIN, ADMIN, ADMIN)

# URLs that take POST only answer GET with 405 to everyone signed in, which says nothing about
# who may act: they are also POSTed (empty) as every role, and answer this.
POST_MATRIX = {
    "training_sessions:cancel_registration": (
        LOGIN,
        HIDDEN,
        REDIRECT,
        HIDDEN,
        REDIRECT,
        HIDDEN,
        REDIRECT,
        HIDDEN,
    ),
    "training_sessions:decide_registrations": SESSION_STAFF_ACTS,
    "training_sessions:regenerate_feed": (LOGIN, *[REDIRECT] * 7),
    # Anyone signed in may ask; the service answers with the reason when it refuses.
    "training_sessions:register": (LOGIN, *[REDIRECT] * 7),
    "training_sessions:walk_in": SESSION_STAFF_ACTS,
    "privacy:download": OFFICERS,
}

# URL namespace -> URL name -> the GET answer for each role in ROLES order:
#   anonymous, unverified, officer, other_officer, trainer, other_trainer, lead, editor.
# Objects in URLs belong to "officer" and to a session "trainer" trains (see `world`).
MATRIX = {
    # Agency coordinators: their pages answer 404 to everyone else (COORDINATOR_MATRIX asks as
    # coordinators); a nomination is its officer's to answer. Leads grant and remove the role
    # and read nominations; nobody edits either in the admin (both go through services).
    "coordinators": {
        "index": (LOGIN, *[HIDDEN] * 7),
        "officer": (LOGIN, *[HIDDEN] * 7),
        "export": (LOGIN, *[HIDDEN] * 7),
        "nominate": (LOGIN, *[HIDDEN] * 7),
        "respond": (LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    },
    "agency_coordinators": {
        "add": LEAD_ONLY,
        "delete": LEAD_ONLY,
        "edit": NO_ROLE,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "usage": NO_ROLE,
    },
    "nominations": {
        "add": NO_ROLE,
        "delete": NO_ROLE,
        "edit": NO_ROLE,
        "history": NO_ROLE,
        "history_results": NO_ROLE,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "inspect": LEAD_ONLY,
        "usage": NO_ROLE,
    },
    # The API's public reads (no token): what the public pages show, to everyone.
    "api_v1": {
        # Ninja's root only anchors the other routes: 404 for everyone.
        "api-root": (HIDDEN,) * 8,
        "catalogue": EVERYONE,
        "certificate_status": EVERYONE,
        "openapi-json": EVERYONE,
        "openapi-view": EVERYONE,
        "upcoming": EVERYONE,
    },
    "audit_log": {
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "inspect": LEAD_ONLY,
    },
    "privacy": {
        "download": POST_ONLY,
        "request_erasure": OFFICERS,
    },
    "privacy_erasures": {
        "carry_out": LEAD_ONLY,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "inspect": LEAD_ONLY,
    },
    "agencies": {
        "add": LEAD_ONLY,
        "copy": LEAD_ONLY,
        "delete": LEAD_ONLY,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": TRAINERS_AND_LEADS,
        "index_results": TRAINERS_AND_LEADS,
        "merge": LEAD_ONLY,
        "usage": LEAD_ONLY,
    },
    "agency_chooser": {
        "choose": ADMIN_USERS,
        "choose_results": ADMIN_USERS,
        "chosen": ADMIN_USERS,
        "chosen_multiple": ADMIN_USERS,
        "create": LEAD_ONLY,
    },
    "agency_requests": {
        "add": NO_ROLE,
        "decide": LEAD_ONLY,
        "delete": NO_ROLE,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "usage": LEAD_ONLY,
    },
    "attendees": {
        "profile": OFFICERS,
    },
    "certificates": {
        "pdf": (LOGIN, HIDDEN, OK, HIDDEN, OK, HIDDEN, OK, HIDDEN),
        "verify": EVERYONE,
        "verify_form": EVERYONE,
    },
    # The issuer's keys, the revocation list and the offline verifier are public; a credential
    # is its holder's alone (the trainers and leads who may fetch the PDF get 404).
    "credentials": {
        "did": EVERYONE,
        "download_json": (LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        "download_jwt": (LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        "status_list": EVERYONE,
    },
    "credentials_public": {
        "verifier": EVERYONE,
    },
    "certificates_admin": {
        "issue_index": TRAINERS_AND_LEADS,
        "issue_session": SESSION_STAFF_IN_ADMIN,
        "reissue": SESSION_STAFF_IN_ADMIN,
        "revoke": SESSION_STAFF_IN_ADMIN,
        "session_zip": SESSION_STAFF_IN_ADMIN,
        "template_preview": (LOGIN, STAFF, STAFF, STAFF, HIDDEN, HIDDEN, OK, HIDDEN),
    },
    # Feedback: only an officer who attended opens the form; the QR code and the results are the
    # session's trainers' and the leads'; question sets, tests and course settings the leads'.
    "evaluation": {
        "feedback": (LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
        "feedback_code": SESSION_STAFF,
        "knowledge_check": (LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    },
    # Writing to a session's registrants, and its messages: its trainers and the leads.
    "communications_admin": {
        "compose": SESSION_STAFF_IN_ADMIN,
        "session_messages": SESSION_STAFF_IN_ADMIN,
        "session_notices": SESSION_STAFF_IN_ADMIN,
    },
    "evaluation_admin": {
        "results_index": TRAINERS_AND_LEADS,
        "session_results": SESSION_STAFF_IN_ADMIN,
    },
    "evaluation_question_sets": {
        "add": LEAD_ONLY,
        "copy": LEAD_ONLY,
        "delete": LEAD_ONLY,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "usage": LEAD_ONLY,
    },
    "evaluation_knowledge_checks": {
        "add": LEAD_ONLY,
        "copy": LEAD_ONLY,
        "delete": LEAD_ONLY,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "usage": LEAD_ONLY,
    },
    "evaluation_course_settings": {
        "add": LEAD_ONLY,
        "copy": LEAD_ONLY,
        "delete": LEAD_ONLY,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "usage": LEAD_ONLY,
    },
    "courses": {
        "material_download": (DENIED, DENIED, OK, DENIED, OK, DENIED, OK, OK),
    },
    "issued_certificates": {
        "add": NO_ROLE,
        "delete": NO_ROLE,
        "edit": NO_ROLE,
        "history": NO_ROLE,
        "history_results": NO_ROLE,
        "index": TRAINERS_AND_LEADS,
        "index_results": TRAINERS_AND_LEADS,
        "inspect": SESSION_STAFF_IN_ADMIN,
        "usage": NO_ROLE,
    },
    "jobs": {
        # An import job: the person who started it, and programme leads.
        "detail": SESSION_STAFF,
        "progress": SESSION_STAFF,
    },
    "jurisdiction_chooser": {
        "choose": ADMIN_USERS,
        "choose_results": ADMIN_USERS,
        "chosen": ADMIN_USERS,
        "chosen_multiple": ADMIN_USERS,
        "create": LEAD_ONLY,
    },
    "jurisdictions": {
        "add": LEAD_ONLY,
        "copy": LEAD_ONLY,
        "delete": NO_ROLE,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": TRAINERS_AND_LEADS,
        "index_results": TRAINERS_AND_LEADS,
        "usage": LEAD_ONLY,
    },
    "material_downloads": {
        "add": NO_ROLE,
        "copy": NO_ROLE,
        "delete": NO_ROLE,
        "edit": NO_ROLE,
        "history": NO_ROLE,
        "history_results": NO_ROLE,
        "index": LEADS_AND_EDITORS,
        "index_results": LEADS_AND_EDITORS,
        "inspect": LEADS_AND_EDITORS,
        "usage": NO_ROLE,
    },
    "my_sessions": {
        "index": (LOGIN, STAFF, STAFF, STAFF, OK, OK, OK, OK),
    },
    "my_training": {
        "index": SIGNED_IN,
    },
    # The session form's search-as-you-type: whoever may add or edit sessions.
    "session_choices": {
        "search": TRAINERS_AND_LEADS,
    },
    "officers": {
        "add": NO_ROLE,
        "delete": NO_ROLE,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "review": LEAD_ONLY,
        "usage": LEAD_ONLY,
    },
    "reports": {
        "chart": LEAD_ONLY,
        "export": LEAD_ONLY,
        "import": LEAD_ONLY,
        "import_confirm": (LOGIN, STAFF, STAFF, STAFF, ADMIN, ADMIN, POST, ADMIN),
        "index": LEAD_ONLY,
    },
    "sessions": {
        "add": TRAINERS_AND_LEADS,
        "delete": (LOGIN, STAFF, STAFF, STAFF, ADMIN, HIDDEN, OK, HIDDEN),
        "edit": (LOGIN, STAFF, STAFF, STAFF, OK, HIDDEN, OK, ADMIN),
        "history": SESSION_STAFF_IN_ADMIN,
        "history_results": SESSION_STAFF_IN_ADMIN,
        "index": TRAINERS_AND_LEADS,
        "index_results": TRAINERS_AND_LEADS,
        "schedule_again": (LOGIN, STAFF, STAFF, STAFF, OK, HIDDEN, OK, ADMIN),
        "status": (LOGIN, STAFF, STAFF, STAFF, OK, HIDDEN, OK, ADMIN),
        "usage": SESSION_STAFF_IN_ADMIN,
    },
    "training_requests": {
        "accept": LEAD_ONLY,
        "add": NO_ROLE,
        "decline": LEAD_ONLY,
        "delete": NO_ROLE,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "index": LEAD_ONLY,
        "index_results": LEAD_ONLY,
        "inspect": LEAD_ONLY,
        "usage": LEAD_ONLY,
    },
    # The feeds at their documented, unprefixed addresses (muster/urls.py).
    "feeds": {
        "personal": EVERYONE,
        "programme": EVERYONE,
        "session": EVERYONE,
    },
    # The language switcher: anyone may switch, by POST.
    "language": {
        "set": (POST,) * 8,
    },
    "training_sessions": {
        "calendar": EVERYONE,
        # GET is the confirmation page (issue 14); the POST row is in POST_MATRIX.
        "cancel_registration": (LOGIN, HIDDEN, OK, HIDDEN, OK, HIDDEN, OK, HIDDEN),
        "checkin": (LOGIN, DENIED, OK, DENIED, DENIED, DENIED, DENIED, DENIED),
        "checkin_code": SESSION_STAFF,
        "decide_registrations": POST_ONLY,
        "detail": EVERYONE,
        "export": SESSION_STAFF,
        "feed_settings": SIGNED_IN,
        "headcounts": SESSION_STAFF,
        "personal_feed": EVERYONE,
        "programme_feed": EVERYONE,
        "regenerate_feed": POST_ONLY,
        "register": POST_ONLY,
        "request_training": (LOGIN, DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED),
        "roll_call": SESSION_STAFF,
        "roster": SESSION_STAFF,
        "roster_import": SESSION_STAFF,
        "sign_in_sheet": SESSION_STAFF,
        "upcoming": EVERYONE,
        "walk_in": POST_ONLY,
    },
    "wagtailsnippetchoosers_certificates_certificatetemplate": {
        "choose": ADMIN_USERS,
        "choose_results": ADMIN_USERS,
        "chosen": ADMIN_USERS,
        "chosen_multiple": ADMIN_USERS,
        "create": LEAD_ONLY,
    },
    "wagtailsnippetchoosers_courses_language": {
        "choose": ADMIN_USERS,
        "choose_results": ADMIN_USERS,
        "chosen": ADMIN_USERS,
        "chosen_multiple": ADMIN_USERS,
        "create": EDITOR_ONLY,
    },
    "wagtailsnippetchoosers_courses_topic": {
        "choose": ADMIN_USERS,
        "choose_results": ADMIN_USERS,
        "chosen": ADMIN_USERS,
        "chosen_multiple": ADMIN_USERS,
        "create": EDITOR_ONLY,
    },
    "wagtailsnippets_certificates_certificatetemplate": {
        "add": LEAD_ONLY,
        "copy": LEAD_ONLY,
        "delete": LEAD_ONLY,
        "edit": LEAD_ONLY,
        "history": LEAD_ONLY,
        "history_results": LEAD_ONLY,
        "list": LEAD_ONLY,
        "list_results": LEAD_ONLY,
        "usage": LEAD_ONLY,
    },
    "wagtailsnippets_courses_language": {
        "add": EDITOR_ONLY,
        "copy": EDITOR_ONLY,
        "delete": NO_ROLE,
        "edit": EDITOR_ONLY,
        "history": EDITOR_ONLY,
        "history_results": EDITOR_ONLY,
        "list": EDITOR_ONLY,
        "list_results": EDITOR_ONLY,
        "usage": EDITOR_ONLY,
    },
    "wagtailsnippets_courses_topic": {
        "add": EDITOR_ONLY,
        "copy": EDITOR_ONLY,
        "delete": NO_ROLE,
        "edit": EDITOR_ONLY,
        "history": EDITOR_ONLY,
        "history_results": EDITOR_ONLY,
        "list": EDITOR_ONLY,
        "list_results": EDITOR_ONLY,
        "usage": EDITOR_ONLY,
    },
    "wagtailusers_users": {
        "add": NO_ROLE,
        "copy": NO_ROLE,
        "delete": NO_ROLE,
        "edit": NO_ROLE,
        "history": NO_ROLE,
        "history_results": NO_ROLE,
        "index": NO_ROLE,
        "index_results": NO_ROLE,
        "usage": NO_ROLE,
    },
}


def _observe(w, names, method="get"):
    """The outcome of GET (or an empty POST) for every name and role. Each request runs in a
    savepoint that is rolled back, so what one person's request changes (a QR check-in) never
    colours another's."""
    clients = {}
    for role, person in w.people.items():
        client = Client()
        if person is not None:
            client.force_login(person)
        clients[role] = client
    seen = {}
    for name in sorted(names):
        url = url_for(name, w)
        row = []
        for role in ROLES:
            with transaction.atomic():
                row.append(outcome(getattr(clients[role], method)(url)))
                transaction.set_rollback(True)
        seen[name] = tuple(row)
    return seen


def _table_names():
    return {f"{ns}:{name}" for ns, rows in MATRIX.items() for name in rows}


def test_every_url_has_a_row():
    ours, unaccounted = our_url_names()
    missing = sorted(ours - _table_names())
    stale = sorted(_table_names() - ours)
    assert not missing, f"URLs without a row in MATRIX (add one, after deciding who may): {missing}"
    assert not stale, f"rows in MATRIX for URLs that no longer exist: {stale}"
    assert not unaccounted, (
        f"URLs neither ours nor listed in THIRD_PARTY (say whose they are): {sorted(unaccounted)}"
    )


@pytest.mark.parametrize("namespace", sorted(MATRIX))
def test_permission_matrix(world, namespace):
    names = [f"{namespace}:{name}" for name in MATRIX[namespace]]
    seen = _observe(world, names)
    wrong = {
        name: row for name, row in seen.items() if row != MATRIX[namespace][name.partition(":")[2]]
    }
    assert not wrong, (
        "answers that differ from MATRIX (roles in order "
        + ", ".join(ROLES)
        + "):\n"
        + (
            "\n".join(
                f"  {name}: expected {MATRIX[namespace][name.partition(':')[2]]}, got {row}"
                for name, row in sorted(wrong.items())
            )
        )
    )


# URLs whose GET is a page of its own (a confirmation) and whose POST acts: both are checked.
GET_AND_POST = {"training_sessions:cancel_registration"}


def test_post_only_urls_as_every_role(world):
    assert (
        set(POST_MATRIX)
        == {
            f"{ns}:{name}"
            for ns, rows in MATRIX.items()
            for name, row in rows.items()
            if row == POST_ONLY
        }
        | GET_AND_POST
    )
    seen = _observe(world, POST_MATRIX, method="post")
    wrong = {name: row for name, row in seen.items() if row != POST_MATRIX[name]}
    assert not wrong, "\n".join(
        f"  {name}: expected {POST_MATRIX[name]}, got {row}" for name, row in sorted(wrong.items())
    )


def test_the_matrix_can_fail(world):
    """The table is compared, not trusted: a view that let everyone in would be caught."""
    seen = _observe(world, ["training_sessions:roster"])
    assert seen["training_sessions:roster"] == SESSION_STAFF != EVERYONE


def _urlconf_with_an_unlisted_url():
    from django.urls import path

    from muster import urls
    from sessions.schedule import views

    # Before Wagtail's catch-all, like any app URL would be.
    extra = path("sessions-export-all/", views.upcoming_sessions, name="unlisted")
    return [*urls.urlpatterns[:-1], extra, urls.urlpatterns[-1]]


urlpatterns = _urlconf_with_an_unlisted_url()


@pytest.mark.urls(__name__)
def test_a_url_added_without_a_row_is_caught():
    ours, _unaccounted = our_url_names()
    assert "unlisted" in ours - _table_names()


# The coordinator pages asked as the officer's agency's coordinator and as another agency's:
# (coordinator, other_coordinator). Another agency's officer answers 404.
COORDINATOR_MATRIX = {
    "coordinators:index": (OK, OK),
    "coordinators:officer": (OK, HIDDEN),
    "coordinators:export": (OK, OK),
    "coordinators:nominate": (OK, OK),
    "coordinators:respond": (HIDDEN, HIDDEN),
    "agency_coordinators:index": (STAFF, STAFF),
    "nominations:index": (STAFF, STAFF),
}


def test_coordinator_rows(world):
    seen = {}
    for name in sorted(COORDINATOR_MATRIX):
        url = url_for(name, world)
        row = []
        for role in ("coordinator", "other_coordinator"):
            client = Client()
            client.force_login(world.coordinators[role])
            with transaction.atomic():
                row.append(outcome(client.get(url)))
                transaction.set_rollback(True)
        seen[name] = tuple(row)
    assert seen == COORDINATOR_MATRIX


def test_a_coordinator_export_lists_only_their_agencys_officers(world):
    client = Client()
    client.force_login(world.coordinators["other_coordinator"])
    body = client.get(url_for("coordinators:export", world)).content.decode()
    assert world.people["officer"].email not in body
    client.force_login(world.coordinators["coordinator"])
    body = client.get(url_for("coordinators:export", world)).content.decode()
    assert world.people["officer"].email in body
