"""Public-site views: the feedback form, the knowledge checks and the trainer's QR code for the
form. Thin: they parse the request, call a selector or a service and render."""

import contextlib

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.languages import language_for_request
from sessions import permissions as session_permissions
from sessions.models import TrainingSession
from sessions.registration.rules import seat_of

from . import selectors, services
from .models import KnowledgeCheck, Question


def _session(reference):
    return get_object_or_404(
        TrainingSession.objects.published().select_related("course"), reference=reference
    )


def _posted_answers(request, questions):
    data = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == Question.Kind.MULTIPLE:
            data[question.pk] = request.POST.getlist(name)
        else:
            data[question.pk] = request.POST.get(name)
    return data


@login_required
def feedback(request, reference):
    """The session's feedback form for an officer who attended. Anyone else is told the page
    does not exist (a session's attendees are not for others to probe)."""
    session = _session(reference)
    if not selectors.has_attended(session, request.user):
        raise Http404
    window = selectors.feedback_window(session)
    attributed, _reminder, _close = selectors.session_settings(session)
    context = {"session": session, "window": window, "attributed": attributed}
    if selectors.has_answered(session, request.user):
        return render(request, "evaluation/feedback_done.html", context)
    if not window.is_open():
        return render(request, "evaluation/feedback_closed.html", context)
    questions = selectors.questions_for(session)
    errors, values = {}, {}
    if request.method == "POST":
        data = _posted_answers(request, questions)
        try:
            services.submit_feedback(session=session, officer=request.user, data=data)
        except services.FeedbackRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("evaluation:feedback", reference=session.reference)
        except ValidationError as error:
            errors = {pk: messages_[0] for pk, messages_ in error.message_dict.items()}
            values = data
        else:
            messages.success(request, _("Thank you: your feedback has been recorded."))
            return redirect("evaluation:feedback", reference=session.reference)
    # The questions in the language the officer reads the site in; English where a question
    # has no translation for it (Question.text_in).
    language = language_for_request(request)
    rows = [
        {
            "question": q,
            "label": q.text_in(language),
            "options": q.choices_in(language),
            "name": f"q{q.pk}",
            "error": errors.get(str(q.pk)) or errors.get(q.pk),
            "value": values.get(q.pk),
            "scale": list(range(1, 6))
            if q.kind == Question.Kind.RATING
            else list(range(0, 11))
            if q.kind == Question.Kind.RECOMMEND
            else [],
        }
        for q in questions
    ]
    return render(
        request,
        "evaluation/feedback_form.html",
        {**context, "rows": rows, "rows_with_errors": [row for row in rows if row["error"]]},
        status=400 if errors else 200,
    )


@login_required
def feedback_code(request, reference):
    """The trainer's screen at the end of the last day: a QR code of the form's address."""
    session = _session(reference)
    if not session_permissions.can_manage_session(request.user, session):
        raise Http404
    url = request.build_absolute_uri(reverse("evaluation:feedback", args=[session.reference]))
    return render(
        request,
        "evaluation/feedback_code.html",
        {
            "session": session,
            "feedback_url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=6, omitsize=True),
        },
    )


@login_required
def knowledge_check(request, reference, kind):
    """A pre- or post-test for an officer registered on the session."""
    session = _session(reference)
    if kind not in KnowledgeCheck.Kind.values:
        raise Http404
    check = selectors.knowledge_check(session.course, kind)
    if check is None:
        raise Http404
    if seat_of(request.user, session) is None:
        raise Http404
    attempt = selectors.attempt_of(check, session, request.user)
    questions = list(check.questions.all())
    errors = {}
    if attempt is None and request.method == "POST":
        choices = {}
        for q in questions:
            with contextlib.suppress(ValueError):
                choices[q.pk] = int(request.POST.get(f"q{q.pk}", ""))
        try:
            services.submit_attempt(
                check=check, session=session, officer=request.user, choices=choices
            )
        except services.FeedbackRefused as refusal:
            messages.error(request, str(refusal))
        except ValidationError as error:
            errors = {str(pk): m[0] for pk, m in error.message_dict.items()}
        else:
            return redirect("evaluation:knowledge_check", reference=session.reference, kind=kind)
    rows = [
        {
            "question": q,
            "name": f"q{q.pk}",
            "choices": list(enumerate(q.choice_list)),
            "error": errors.get(str(q.pk)),
        }
        for q in questions
    ]
    return render(
        request,
        "evaluation/knowledge_check.html",
        {"session": session, "check": check, "attempt": attempt, "rows": rows},
        status=400 if errors else 200,
    )
