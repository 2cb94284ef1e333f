"""The versioned HTTP API, /api/v1/: public reads (catalogue, upcoming sessions, certificate
status by verification code), with its OpenAPI 3 schema (/api/v1/openapi.json) and
documentation page (/api/v1/docs).

Built on Django Ninja: the schemas are typed Pydantic models that produce the OpenAPI document
and validate input in one place, and its operations are plain functions, which keeps them as
thin as the site's views (they call the same selectors). Django REST framework with
drf-spectacular would add serializers, viewsets and a second schema generator for the same.

Personal access tokens, the token owner's records, writes and webhooks are not built yet
(docs/api.md).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from accounts import ratelimit
from certificates import selectors as certificate_selectors
from courses.models import CoursePage
from sessions.schedule import selectors as schedule_selectors

api = NinjaAPI(
    title=f"{settings.WAGTAIL_SITE_NAME} API",
    version="1",
    urls_namespace="api_v1",
    description="Public reads of the training programme. Personal access tokens: not yet.",
)


class CourseOut(Schema):
    code: str
    title: str
    level: str
    duration_hours: Decimal
    url: str | None


class SessionOut(Schema):
    reference: str
    course_code: str
    course_title: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    delivery: str
    city: str
    country: str
    language: str
    time_zone: str


class CertificateStatusOut(Schema):
    serial: str
    status: str
    officer_name: str
    course_title: str
    start_date: datetime.date
    end_date: datetime.date
    issued_on: datetime.date
    expires_on: datetime.date | None
    revoked_on: datetime.date | None
    replaced_by_serial: str
    issuer: str


@api.get("/catalogue", response=list[CourseOut], url_name="catalogue", tags=["public"])
def catalogue(request: HttpRequest):
    """The published courses."""
    return [
        CourseOut(
            code=course.code,
            title=course.title,
            level=course.level,
            duration_hours=course.duration_hours,
            url=course.full_url,
        )
        for course in CoursePage.objects.live().order_by("code")
    ]


@api.get("/sessions/upcoming", response=list[SessionOut], url_name="upcoming", tags=["public"])
def upcoming_sessions(request: HttpRequest):
    """Scheduled sessions not yet over, soonest first."""
    return [
        SessionOut(
            reference=session.reference,
            course_code=session.course.code,
            course_title=session.course.title,
            start_date=session.start_date,
            end_date=session.end_date,
            delivery=session.delivery,
            city=session.city,
            country=session.country,
            language=session.language,
            time_zone=session.time_zone,
        )
        for session in schedule_selectors.upcoming_for_public()
    ]


def _limited(request: HttpRequest) -> bool:
    """The verification page's limit per client address, counted with it (certificates/
    views.py): codes are not for guessing by trying. Fails closed when the counters are down."""
    limit, window = getattr(settings, "MUSTER_VERIFY_RATE_LIMIT", (30, 60))
    try:
        return not ratelimit.hit("verify", ratelimit.client_ip(request), limit=limit, window=window)
    except ratelimit.CounterUnavailable:
        return True


@api.get(
    "/certificates/{code}",
    response=CertificateStatusOut,
    url_name="certificate_status",
    tags=["public"],
)
def certificate_status(request: HttpRequest, code: str):
    """What the public verification page says about a certificate, by its verification code."""
    if _limited(request):
        raise HttpError(429, "Too many requests.")
    certificate = certificate_selectors.certificate_by_code(code)
    if certificate is None:
        raise HttpError(404, "No such certificate.")
    return CertificateStatusOut(
        serial=certificate.serial,
        status=str(certificate.status),
        officer_name=certificate.officer_name,
        course_title=certificate.course_title,
        start_date=certificate.start_date,
        end_date=certificate.end_date,
        issued_on=timezone.localdate(certificate.issued_at),
        expires_on=certificate.expires_on,
        revoked_on=certificate.revoked_at and timezone.localdate(certificate.revoked_at),
        replaced_by_serial=certificate.superseded_by.serial if certificate.superseded_by_id else "",
        issuer=settings.MUSTER_PROGRAMME_NAME,
    )
