"""An officer checking in on the day with the QR code the trainer shows."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.ratelimit import rate_limited

from .. import checkin
from ..models import Attendance, TrainingSession
from ..registration import rules
from . import services as attendance_services
from .trainer_views import day_of


@login_required
# Per signed-in officer, not per address: a whole classroom checks in from one network at once.
@rate_limited("checkin", setting="MUSTER_CHECKIN_RATE_LIMIT", default=(20, 60), per="user")
def checkin_view(request, reference, date):
    """A signed-in confirmed registrant opening a valid code is marked present for the day."""
    try:
        session = (
            TrainingSession.objects.published().select_related("course").get(reference=reference)
        )
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    day, _days = day_of(session, date)
    context = {"session": session, "day": day}
    try:
        checkin.read_token(request.GET.get("code", ""), session=session, day=day)
    except checkin.CheckinRefused as refusal:
        context.update(error=refusal.message, code=refusal.code)
        return render(request, "training_sessions/checkin.html", context, status=400)
    registration = rules.seat_of(request.user, session)
    if registration is None:
        context.update(
            error=_("Only confirmed registrants of this session can check in."),
            code="not_registered",
        )
        return render(request, "training_sessions/checkin.html", context, status=403)
    attendance_services.record_attendance(
        registration=registration,
        day=day,
        status=Attendance.Status.PRESENT,
        method=Attendance.Method.QR,
        acting_user=request.user,
    )
    return render(request, "training_sessions/checkin.html", context)
