"""Roster and attendance sheet of one session as CSV or XLSX. The same rows feed both, and both
are written by muster/exports.py, which keeps formulas from user input out of them."""

from django.utils.translation import gettext as _

from muster import exports as muster_exports

from .models import Attendance, Registration


def roster_table(session):
    headers = [_("E-mail"), _("Name"), _("Agency"), _("Jurisdiction"), _("Status"), _("Walk-in")]
    headers.append(_("Registered at"))
    rows = []
    for registration in (
        Registration.objects.filter(session=session)
        .select_related("officer__officer_profile__agency__jurisdiction")
        .order_by("status", "created_at", "pk")
    ):
        agency = getattr(getattr(registration.officer, "officer_profile", None), "agency", None)
        rows.append(
            [
                registration.officer.email,
                registration.officer.get_full_name(),
                str(agency or ""),
                str(agency.jurisdiction) if agency else "",
                registration.get_status_display(),
                _("yes") if registration.walk_in else "",
                registration.created_at.astimezone(session.zone).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return headers, rows


def attendance_table(session):
    """One row per confirmed registrant, one column per day (present, late, excused, absent),
    in the format the roster import reads back."""
    days = list(session.days.order_by("date"))
    headers = [_("E-mail"), _("Name"), _("Agency"), *[d.date.isoformat() for d in days]]
    taken = {
        (a.registration_id, a.day_id): a.status
        for a in Attendance.objects.filter(day__session=session)
    }
    rows = []
    for registration in (
        Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
        .select_related("officer__officer_profile__agency")
        .order_by("officer__last_name", "officer__first_name", "officer__email")
    ):
        agency = getattr(getattr(registration.officer, "officer_profile", None), "agency", None)
        rows.append(
            [
                registration.officer.email,
                registration.officer.get_full_name(),
                str(agency or ""),
                *[taken.get((registration.pk, d.pk), "") for d in days],
            ]
        )
    return headers, rows


def csv_response(headers, rows, filename):
    return muster_exports.csv_response(headers, rows, filename)


def xlsx_response(headers, rows, filename):
    return muster_exports.xlsx_response(headers, rows, filename)
