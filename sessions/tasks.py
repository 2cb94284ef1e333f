"""Side effects of session services, run after commit through the tasks framework."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from accounts.languages import override_for
from accounts.zones import zone_for


@task()
def send_training_request_decision(*, training_request_id):
    """E-mail the requester that their training request was accepted or declined."""
    from .models import TrainingRequest

    request = TrainingRequest.objects.select_related(
        "requester", "agency", "course", "session"
    ).get(pk=training_request_id)
    context = {
        "request": request,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    # In the requester's language, never that of the lead who decided.
    with override_for(request.requester):
        subject = render_to_string(
            "training_sessions/email/training_request_decision_subject.txt", context
        )
        body = render_to_string(
            "training_sessions/email/training_request_decision_body.txt", context
        )
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[request.requester.email],
    )


@task()
def send_registration_email(*, registration_id, kind):
    """E-mail an officer about their registration: confirmed, waitlisted, pending, promoted,
    cancelled, session_cancelled (the whole session is off), reminder, or a decision on a
    pending one (approved, approved_waitlisted, rejected). Mails of a held seat (confirmed,
    promoted, reminder, approved) carry the session's .ics with the join link; both
    cancellation mails carry a calendar cancellation (METHOD:CANCEL, same UIDs) so the events
    leave the officer's calendar."""
    from django.core.mail import EmailMessage

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
    context = {
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
    with override_for(registration.officer):
        subject = render_to_string("training_sessions/email/registration_subject.txt", context)
        body = render_to_string("training_sessions/email/registration_body.txt", context)
        message = EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.officer.email],
        )
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
    message.send()
