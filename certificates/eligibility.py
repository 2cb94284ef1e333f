"""Who has earned a certificate for a session, and why (not).

Eligible: present or late on at least the course's required share of the session's days,
compared in whole numbers (attended * 100 >= required * total) so 4 of 5 days is exactly 80%
and 2 of 3 days (66.67%) falls short of 67%. A staff override decides either way and its
reason is shown beside the rule's verdict.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts import roles
from evaluation.selectors import certificate_conditions_missing
from sessions.attendance.selectors import attended_days_q
from sessions.models import Registration

from . import course_settings
from .models import Certificate, EligibilityOverride


@dataclass
class Eligibility:
    officer: object
    attended_days: int
    total_days: int
    required_percent: int
    override: EligibilityOverride | None
    certificate: Certificate | None
    # What the course's evaluation conditions still need (feedback, post-test pass); issue 17.
    evaluation_missing: tuple = ()

    @property
    def meets_rule(self):
        if self.total_days == 0 or self.evaluation_missing:
            return False
        return self.attended_days * 100 >= self.required_percent * self.total_days

    @property
    def eligible(self):
        if self.override is not None:
            return self.override.eligible
        return self.meets_rule

    @property
    def officer_verified(self):
        """Whether the programme has verified the officer (accounts.roles.is_verified_officer).
        Not part of the rule: an unverified officer who attended is flagged on the issue
        screen, so staff check who they are before a certificate names them."""
        return roles.is_verified_officer(self.officer)

    @property
    def has_certificate(self):
        return self.certificate is not None

    @property
    def explanation(self):
        if self.total_days == 0:
            rule = _("The session has no days.")
        else:
            rule = _(
                "Attended %(attended)d of %(total)d days (%(share)d%%); %(required)d%% needed."
            ) % {
                "attended": self.attended_days,
                "total": self.total_days,
                "share": self.attended_days * 100 // self.total_days,
                "required": self.required_percent,
            }
        if self.evaluation_missing:
            rule = " ".join([rule, *self.evaluation_missing])
        if self.override is None:
            return rule
        verdict = _("eligible") if self.override.eligible else _("not eligible")
        return _("%(rule)s Overridden as %(verdict)s: %(reason)s") % {
            "rule": rule,
            "verdict": verdict,
            "reason": self.override.reason,
        }


def for_session(session):
    """One Eligibility per confirmed registration of the session, in roster order.

    A fixed number of queries whatever the roster size.
    """
    total_days = session.days.count()
    required = course_settings.required_attendance_percent(session.course)
    registrations = (
        Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
        .select_related("officer__officer_profile")
        .annotate(
            attended=Count(
                "attendances",
                # Days attended, as the one "attended" definition counts them (present or
                # late), of confirmed registrations only (the filter above).
                filter=attended_days_q("attendances__") & Q(attendances__day__session=session),
            )
        )
        .order_by("officer__last_name", "officer__first_name", "officer__email")
    )
    overrides = {
        o.officer_id: o for o in session.certificate_overrides.select_related("decided_by")
    }
    current = {c.officer_id: c for c in Certificate.objects.filter(session=session).current()}
    registrations = list(registrations)
    missing = certificate_conditions_missing(session, [r.officer_id for r in registrations])
    return [
        Eligibility(
            officer=registration.officer,
            attended_days=registration.attended,
            total_days=total_days,
            required_percent=required,
            override=overrides.get(registration.officer_id),
            certificate=current.get(registration.officer_id),
            evaluation_missing=tuple(missing.get(registration.officer_id, ())),
        )
        for registration in registrations
    ]


def for_officer(session, officer):
    for row in for_session(session):
        if row.officer.pk == officer.pk:
            return row
    # Not on the roster (no confirmed registration): only an override can make them eligible.
    return Eligibility(
        officer=officer,
        attended_days=0,
        total_days=session.days.count(),
        required_percent=course_settings.required_attendance_percent(session.course),
        override=EligibilityOverride.objects.filter(session=session, officer=officer).first(),
        certificate=Certificate.objects.filter(session=session, officer=officer).current().first(),
    )
