"""Side effects of session services, run after commit through the tasks framework."""

from django.conf import settings
from django_tasks import task

from accounts.languages import email_for, override_for
from accounts.zones import zone_for
from jobs.mail import send_once, task_key


@task(takes_context=True)
def send_training_request_decision(context, *, training_request_id):
    """E-mail the requester that their training request was accepted or declined, once per
    enqueue even if the task runs again (jobs.mail.send_once)."""
    from .models import TrainingRequest

    request = TrainingRequest.objects.select_related(
        "requester", "agency", "course", "session"
    ).get(pk=training_request_id)
    mail_context = {
        "request": request,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    # In the requester's language, never that of the lead who decided.
    message = email_for(
        request.requester,
        "training_sessions/email/training_request_decision_subject.txt",
        "training_sessions/email/training_request_decision_body.txt",
        mail_context,
    )
    return send_once(task_key(context, f"training-request:{request.pk}"), message)


@task(takes_context=True)
def send_registration_email(context, *, registration_id, kind):
    """E-mail an officer about their registration: confirmed, waitlisted, pending, promoted,
    cancelled, session_cancelled (the whole session is off), reminder, or a decision on a
    pending one (approved, approved_waitlisted, rejected). Mails of a held seat (confirmed,
    promoted, reminder, approved) carry the session's .ics with the join link; both
    cancellation mails carry a calendar cancellation (METHOD:CANCEL, same UIDs) so the events
    leave the officer's calendar.

    Sent once per enqueue even if the task runs again, e.g. after its worker was killed while
    the mail server held the message (jobs.mail.send_once)."""
    from .calendar import build_calendar
    from .models import Registration, TrainingSession

    registration = Registration.objects.select_related("officer", "session__course").get(
        pk=registration_id
    )
    session = (
        TrainingSession.objects.select_related("course")
        .prefetch_related("days")
        .get(pk=registration.session_id)
    )
    from .registration import rules

    holds_seat = kind in {"confirmed", "promoted", "reminder", "approved"}
    # The join link only while the seat is still held when the mail goes out (rules.py).
    join_link = rules.join_link(session, seat=holds_seat and rules.holds_seat(registration))
    base_url = settings.WAGTAILADMIN_BASE_URL
    mail_context = {
        "registration": registration,
        "session": session,
        "kind": kind,
        "holds_seat": holds_seat,
        "join_link": join_link,
        "days": list(session.days.all()),
        "base_url": base_url,
        "programme": settings.MUSTER_PROGRAMME_NAME,
        # Each day also in the officer's own zone when it differs from the session's.
        "user_zone": zone_for(registration.officer),
    }
    # In the officer's language (the .ics too), never that of whoever's request queued this.
    message = email_for(
        registration.officer,
        "training_sessions/email/registration_subject.txt",
        "training_sessions/email/registration_body.txt",
        mail_context,
    )
    with override_for(registration.officer):
        if holds_seat or kind in {"cancelled", "session_cancelled"}:
            calendar = build_calendar(
                [session],
                base_url=base_url,
                name=f"{session.reference} · {session.course.title}",
                join_link_for=lambda _session: bool(join_link),
                # A place given up: the calendar program removes the imported events.
                cancel=kind in {"cancelled", "session_cancelled"},
            )
            message.attach(f"{session.reference}.ics", calendar.to_ical(), "text/calendar")
    return send_once(task_key(context, f"registration:{registration.pk}:{kind}"), message)
