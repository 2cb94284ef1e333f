"""Staff views in the Wagtail admin: write to a session's registrants (with a preview that
counts who it reaches) and the session's messages. Trainers reach only the sessions they
train; another trainer's session is 404, as everywhere else."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sessions.models import TrainingSession
from sessions.permissions import can_manage_session

from . import selectors, services
from .forms import MessageForm
from .models import SessionMessage


def _managed_session(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    if not can_manage_session(request.user, session):
        raise Http404
    return session


def compose(request, pk):
    """Write, preview ("Preview" counts and lists the recipients), then send."""
    session = _managed_session(request, pk)
    options = selectors.audience_options(session)
    form = MessageForm(request.POST or None, session=session, options=options)
    preview = None
    if request.method == "POST" and form.is_valid():
        choice = form.choice()
        if "send" in request.POST:
            try:
                message = services.send_message(
                    session=session,
                    acting_user=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    choice=choice,
                    audience_detail=form.audience_detail(),
                )
            except services.MessageRefused as refused:
                form.add_error(None, refused.message)
            else:
                count = message.recipients.count()
                messages.success(
                    request,
                    _("Message kept on the session and being e-mailed to %(count)d people.")
                    % {"count": count},
                )
                return redirect("communications_admin:session_messages", pk=session.pk)
        else:
            try:
                registrations = list(selectors.recipient_registrations(session, choice))
            except selectors.AudienceRefused as refused:
                form.add_error(None, refused.message)
            else:
                draft = SessionMessage(
                    session=session,
                    sender_name=request.user.get_full_name() or request.user.email,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
                preview = {
                    "registrations": registrations,
                    "count": len(registrations),
                    "email": render_to_string(
                        "communications/email/message_body.txt",
                        {
                            "message": draft,
                            "session": session,
                            "base_url": settings.WAGTAILADMIN_BASE_URL,
                        },
                    ),
                }
    return render(
        request,
        "communications/admin/compose.html",
        {"session": session, "form": form, "preview": preview},
    )


def session_messages(request, pk):
    """The messages kept on a session: who wrote, when, to whom, and what."""
    session = _managed_session(request, pk)
    return render(
        request,
        "communications/admin/session_messages.html",
        {"session": session, "session_messages": list(selectors.messages_of_session(session))},
    )


def session_notices(request, pk):
    """A session's own choice of scheduled notices, beside what the programme sends."""
    from . import notices
    from .forms import SessionNoticesForm
    from .models import SessionNotices

    session = _managed_session(request, pk)
    current = SessionNotices.objects.filter(session=session).first()
    names = list(SessionNoticesForm.base_fields)
    initial = {name: getattr(current, name) for name in names} if current else {}
    form = SessionNoticesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_session_notices(
            session=session, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("Notice settings saved."))
        return redirect("communications_admin:session_notices", pk=session.pk)
    return render(
        request,
        "communications/admin/session_notices.html",
        {
            "session": session,
            "form": form,
            "effective": notices.effective_days(session, current),
        },
    )
