"""Issuing, re-issuing, revoking and overriding: every write with consequences, one function
each, keyword-only, in one transaction, with an audit entry and e-mail after commit.

The audit log (audit.services.record) is the one record of these writes, with before and after
values; Wagtail's per-object log is no longer written for them (see docs/user-guide.md,
"Audit log").
"""

import calendar
import datetime
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import record
from sessions.models import TrainingSession

from . import course_settings, eligibility, permissions
from .models import Certificate, CertificateTemplate, EligibilityOverride, SerialCounter
from .signals import certificate_ended, certificate_issued
from .tasks import email_certificate_issued


class NotIssuable(ValidationError):
    """The certificate cannot be issued; the message says why."""


def _check_may_issue(acting_user: Any, session: TrainingSession) -> None:
    if acting_user is not None and not permissions.can_issue_for_session(acting_user, session):
        raise PermissionDenied(_("You may not issue certificates for this session."))


def _template_for(session: TrainingSession) -> CertificateTemplate:
    key = course_settings.template_key(session.course)
    if key == course_settings.NO_CERTIFICATE:
        raise NotIssuable(
            _("The course %(course)s gives no certificate.") % {"course": session.course.title}
        )
    template = CertificateTemplate.objects.filter(key=key).first()
    if template is None:
        raise NotIssuable(
            _("No certificate template has the key '%(key)s' the course asks for.") % {"key": key}
        )
    return template


def _next_serial(year: int) -> tuple[int, str]:
    """The next number of the year, under a row lock held until the issuing transaction ends:
    concurrent issuers queue here, and a rolled-back issue gives its number back."""
    # ON CONFLICT DO NOTHING: the first issuer of a year creates the row, the others wait on it.
    SerialCounter.objects.bulk_create([SerialCounter(year=year)], ignore_conflicts=True)
    counter = SerialCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    prefix = settings.MUSTER_CERTIFICATE_PREFIX
    return counter.last_number, f"{prefix}-{year}-{counter.last_number:06d}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _session_hours(session: TrainingSession) -> float:
    # The one conversion from scheduled minutes to hours (the yearly report uses it too).
    from sessions.schedule.selectors import session_hours

    return session_hours(session)


def _officer_agency(officer: Any) -> str:
    profile = getattr(officer, "officer_profile", None)
    if profile is None or profile.agency is None:
        return ""
    return profile.agency.name


def _create(
    *,
    session: TrainingSession,
    officer: Any,
    acting_user: Any,
    version: int = 1,
    reissue_reason: str = "",
) -> Certificate:
    template = _template_for(session)
    # Both dates come from the session's days: set together, or neither.
    if not session.start_date or not session.end_date:
        raise NotIssuable(_("The session has no days."))
    year = session.start_date.year
    number, serial = _next_serial(year)
    expires_on = (
        _add_months(session.end_date, template.validity_months)
        if template.validity_months
        else None
    )
    return Certificate.objects.create(
        session=session,
        officer=officer,
        template=template,
        year=year,
        number=number,
        serial=serial,
        verification_code=secrets.token_urlsafe(32),
        version=version,
        officer_name=officer.get_full_name() or officer.email.split("@")[0],
        agency_name=_officer_agency(officer),
        course_title=session.course.title,
        start_date=session.start_date,
        end_date=session.end_date,
        hours=_session_hours(session),
        city=session.city,
        issued_at=timezone.now(),
        issued_by=acting_user,
        expires_on=expires_on,
        reissue_reason=reissue_reason,
    )


def _certificate_facts(certificate: Certificate) -> dict[str, Any]:
    return {
        "serial": certificate.serial,
        "session": certificate.session.reference,
        "officer_name": certificate.officer_name,
        "version": certificate.version,
        "expires_on": certificate.expires_on,
    }


def _after_issue(
    certificate: Certificate,
    acting_user: Any,
    action: str,
    before: dict[str, Any] | None = None,
    **data: Any,
) -> None:
    record(
        actor=acting_user,
        action=action,
        target=certificate,
        subject=certificate.officer,
        before=before,
        after={**_certificate_facts(certificate), **data},
    )
    certificate_issued.send(sender=Certificate, certificate=certificate)
    transaction.on_commit(lambda: email_certificate_issued.enqueue(certificate.pk))


def _locked_session(session: TrainingSession) -> TrainingSession:
    # Lock the session row so two issuers for the same officer queue instead of racing to the
    # "one current certificate" constraint.
    return TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)


@transaction.atomic
def issue_certificate(*, session: TrainingSession, officer: Any, acting_user: Any) -> Certificate:
    """Issue a certificate to an eligible officer of a delivered session."""
    _check_may_issue(acting_user, session)
    session = _locked_session(session)
    if session.status != TrainingSession.Status.DELIVERED:
        raise NotIssuable(_("Certificates are issued only for delivered sessions."))
    verdict = eligibility.for_officer(session, officer)
    if verdict.has_certificate:
        raise NotIssuable(
            _("%(name)s already holds certificate %(serial)s for this session.")
            % {"name": officer.get_full_name(), "serial": verdict.certificate.serial}
        )
    if not verdict.eligible:
        raise NotIssuable(
            _("%(name)s is not eligible: %(why)s")
            % {"name": officer.get_full_name() or officer.email, "why": verdict.explanation}
        )
    certificate = _create(session=session, officer=officer, acting_user=acting_user)
    _after_issue(certificate, acting_user, AuditEntry.Action.CERTIFICATE_ISSUED)
    return certificate


def preview_session(session: TrainingSession) -> tuple[list[Any], list[Any], list[Any]]:
    """What bulk issuing would do: (to issue, not eligible, already issued) Eligibility rows."""
    rows = eligibility.for_session(session)
    to_issue = [r for r in rows if r.eligible and not r.has_certificate]
    not_eligible = [r for r in rows if not r.eligible and not r.has_certificate]
    issued = [r for r in rows if r.has_certificate]
    return to_issue, not_eligible, issued


@transaction.atomic
def bulk_issue_for_session(*, session: TrainingSession, acting_user: Any) -> list[Certificate]:
    """Issue certificates to every eligible officer of a delivered session who has none yet.

    All or nothing; returns the new certificates in roster order.
    """
    _check_may_issue(acting_user, session)
    session = _locked_session(session)
    if session.status != TrainingSession.Status.DELIVERED:
        raise NotIssuable(_("Certificates are issued only for delivered sessions."))
    to_issue, _not_eligible, _issued = preview_session(session)
    if to_issue:
        _template_for(session)  # fail before numbering anything
    issued = []
    for row in to_issue:
        certificate = _create(session=session, officer=row.officer, acting_user=acting_user)
        _after_issue(certificate, acting_user, AuditEntry.Action.CERTIFICATE_ISSUED, bulk=True)
        issued.append(certificate)
    return issued


def _require_reason(reason: str | None, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic
def reissue(*, certificate: Certificate, reason: str, acting_user: Any) -> Certificate:
    """Issue a new version (new serial and code, data copied afresh) and mark the old one
    replaced. For corrections of name or agency, or a changed template."""
    reason = _require_reason(reason, _("Say why the certificate is re-issued."))
    _check_may_issue(acting_user, certificate.session)
    _locked_session(certificate.session)
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.revoked_at:
        raise NotIssuable(_("A revoked certificate cannot be re-issued."))
    if old.superseded_at:
        raise NotIssuable(_("Only the newest version of a certificate can be re-issued."))
    # The old version stops being current before the new one is written: the database allows
    # one current certificate per officer and session.
    old.superseded_at = timezone.now()
    old.save(update_fields=["superseded_at"])
    new = _create(
        session=old.session,
        officer=old.officer,
        acting_user=acting_user,
        version=old.version + 1,
        reissue_reason=reason,
    )
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    certificate_ended.send(sender=Certificate, certificate=old)
    _after_issue(
        new,
        acting_user,
        AuditEntry.Action.CERTIFICATE_REISSUED,
        before=_certificate_facts(old),
        replaces=old.serial,
        reason=reason,
    )
    return new


@transaction.atomic
def revoke(*, certificate: Certificate, reason: str, acting_user: Any) -> Certificate:
    """Revoke at once: the verification page says so with the reason from the next request."""
    reason = _require_reason(reason, _("Say why the certificate is revoked."))
    if acting_user is not None and not permissions.can_revoke(acting_user, certificate):
        raise PermissionDenied(_("You may not revoke this certificate."))
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at:
        raise NotIssuable(_("The certificate is already revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = acting_user
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    certificate_ended.send(sender=Certificate, certificate=locked)
    record(
        actor=acting_user,
        action=AuditEntry.Action.CERTIFICATE_REVOKED,
        target=locked,
        subject=locked.officer,
        before={"serial": locked.serial, "revoked": False},
        after={"serial": locked.serial, "revoked": True, "reason": reason},
    )
    return locked


@transaction.atomic
def set_override(
    *, session: TrainingSession, officer: Any, eligible: bool, reason: str, acting_user: Any
) -> EligibilityOverride:
    """Decide an officer's eligibility for a session whatever the attendance says."""
    reason = _require_reason(reason, _("Say why the rule is overridden."))
    _check_may_issue(acting_user, session)
    previous = (
        EligibilityOverride.objects.select_for_update()
        .filter(session=session, officer=officer)
        .values("eligible", "reason")
        .first()
    )
    override, _created = EligibilityOverride.objects.update_or_create(
        session=session,
        officer=officer,
        defaults={
            "eligible": bool(eligible),
            "reason": reason,
            "decided_by": acting_user,
            "decided_at": timezone.now(),
        },
    )
    record(
        actor=acting_user,
        action=AuditEntry.Action.CERTIFICATE_OVERRIDDEN,
        target=override,
        subject=officer,
        before=_override_facts(session, previous),
        after=_override_facts(session, {"eligible": bool(eligible), "reason": reason}),
    )
    return override


def _override_facts(
    session: TrainingSession, values: Mapping[str, object] | None
) -> dict[str, Any] | None:
    """Before/after of an override; None means "the attendance rule decides"."""
    return None if values is None else {"session": session.reference, **values}


@transaction.atomic
def clear_override(*, session: TrainingSession, officer: Any, acting_user: Any) -> None:
    _check_may_issue(acting_user, session)
    for override in EligibilityOverride.objects.select_for_update().filter(
        session=session, officer=officer
    ):
        record(
            actor=acting_user,
            action=AuditEntry.Action.CERTIFICATE_OVERRIDDEN,
            target=override,
            subject=officer,
            before=_override_facts(
                session, {"eligible": override.eligible, "reason": override.reason}
            ),
            after=None,
            summary=_("Override removed: the attendance rule decides again."),
        )
        override.delete()
