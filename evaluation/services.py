"""Writes of the evaluation app, one function each, in a transaction.

Feedback answers are the exception to "every write leaves an audit entry": an entry naming the
officer, written at the moment of answering, would join them to their answers by its time. So
`submit_feedback` audits nothing for anonymous sessions; the invitation row records that they
answered, without a time.
"""

import datetime
import functools
import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import record
from sessions.models import TrainingSession
from sessions.registration.rules import seat_of

from . import selectors
from .models import (
    CourseEvaluation,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    KnowledgeCheck,
    KnowledgeCheckAttempt,
    Question,
    SessionEvaluation,
)


class FeedbackRefused(Exception):
    """The officer may not answer this form (now): the message says why."""


def _officer_facts(officer: Any) -> tuple[str, str]:
    profile = getattr(officer, "officer_profile", None)
    agency = getattr(profile, "agency", None) if profile else None
    if agency is None:
        return "", ""
    country = ""
    jurisdiction = agency.jurisdiction
    if jurisdiction is not None:
        country = (jurisdiction.code or "").split("-")[0][:2]
    return agency.type, country


def validate_answers(
    questions: Iterable[Question], data: Mapping[int, Any]
) -> dict[int, int | str]:
    """{question pk: number or text} from the posted data {question pk: value or [values]};
    raises ValidationError {question pk: message} for a missing or out-of-range answer."""
    errors: dict[str, str] = {}
    clean: dict[int, int | str] = {}
    for question in questions:
        value = data.get(question.pk)
        if question.kind == Question.Kind.MULTIPLE:
            values = [v for v in (value or []) if v in question.choice_list]
            if not values:
                if question.required:
                    errors[str(question.pk)] = _("Choose at least one.")
                continue
            clean[question.pk] = "\n".join(values)
            continue
        value = (value or "").strip() if isinstance(value, str) else value
        if value in (None, ""):
            if question.required:
                errors[str(question.pk)] = _("This question needs an answer.")
            continue
        if question.kind in (Question.Kind.RATING, Question.Kind.RECOMMEND):
            low, high = (1, 5) if question.kind == Question.Kind.RATING else (0, 10)
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = None
            if number is None or not low <= number <= high:
                errors[str(question.pk)] = _("Choose a value from %(low)d to %(high)d.") % {
                    "low": low,
                    "high": high,
                }
                continue
            clean[question.pk] = number
        elif question.kind == Question.Kind.SINGLE:
            if value not in question.choice_list:
                errors[str(question.pk)] = _("Choose one of the answers.")
                continue
            clean[question.pk] = value
        else:
            clean[question.pk] = str(value)[:5000]
    if errors:
        raise ValidationError(errors)
    return clean


def _answer(question: Question, value: int | str) -> dict[str, Any]:
    if question.kind in (Question.Kind.RATING, Question.Kind.RECOMMEND):
        return {"number": value, "text": ""}
    return {"number": None, "text": value}


def _reshuffle(session: TrainingSession) -> None:
    """Rewrite the session's anonymous responses and their answers with fresh random keys, in
    random order, so the newest response sits nowhere in particular, not even physically."""
    responses = list(
        FeedbackResponse.objects.filter(session=session, officer__isnull=True).prefetch_related(
            "answers"
        )
    )
    copies: list[FeedbackResponse] = []
    answers: list[FeedbackAnswer] = []
    for response in responses:
        copy = FeedbackResponse(
            session_id=session.pk, agency_type=response.agency_type, country=response.country
        )
        copies.append(copy)
        answers += [
            FeedbackAnswer(response=copy, question_id=a.question_id, number=a.number, text=a.text)
            for a in response.answers.all()
        ]
    FeedbackResponse.objects.filter(pk__in=[r.pk for r in responses]).delete()
    random.shuffle(copies)
    random.shuffle(answers)
    FeedbackResponse.objects.bulk_create(copies)
    FeedbackAnswer.objects.bulk_create(answers)


def submit_feedback(
    *,
    session: TrainingSession,
    officer: Any,
    data: Mapping[int, Any],
    now: datetime.datetime | None = None,
) -> FeedbackResponse | None:
    """Store one officer's answers to the session's form, once.

    Refused unless the officer attended and the form is open. The invitation row is marked
    answered in the same transaction (locked, so a double submit cannot answer twice).
    """
    now = now or timezone.now()
    if not selectors.has_attended(session, officer):
        raise FeedbackRefused(_("Only officers who attended the session can give feedback."))
    window = selectors.feedback_window(session)
    if not window.is_open(now):
        raise FeedbackRefused(_("The feedback form for this session is not open."))
    questions = selectors.questions_for(session)
    clean = validate_answers(questions, data)
    attributed, _reminder, _close = selectors.session_settings(session)
    with transaction.atomic():
        TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
        invitation, _created = FeedbackInvitation.objects.select_for_update().get_or_create(
            session=session, officer=officer
        )
        if invitation.answered:
            raise FeedbackRefused(_("You have already given feedback on this session."))
        invitation.answered = True
        invitation.save(update_fields=["answered"])
        agency_type, country = _officer_facts(officer)
        response = FeedbackResponse.objects.create(
            session=session,
            officer=officer if attributed else None,
            agency_type=agency_type,
            country=country,
        )
        by_pk = {q.pk: q for q in questions}
        FeedbackAnswer.objects.bulk_create(
            [
                FeedbackAnswer(response=response, question_id=pk, **_answer(by_pk[pk], value))
                for pk, value in clean.items()
            ]
        )
        if not attributed:
            _reshuffle(session)
    return response if attributed else None


def submit_attempt(
    *,
    check: KnowledgeCheck,
    session: TrainingSession,
    officer: Any,
    choices: Mapping[int, int],
    now: datetime.datetime | None = None,
) -> KnowledgeCheckAttempt:
    """Score an officer's answers to a knowledge check ({question pk: chosen index}) in percent
    and store the attempt, once per check and session. Pre-tests close when the session's first
    day starts; both need the officer registered on the session (confirmed)."""
    now = now or timezone.now()
    if check.course_id != session.course_id:
        raise PermissionDenied
    if seat_of(officer, session) is None:
        raise FeedbackRefused(_("Only officers registered on the session can take its tests."))
    first = session.days.order_by("starts_at").first()
    if check.kind == check.Kind.PRE and first is not None and first.starts_at <= now:
        raise FeedbackRefused(_("The pre-test closes when the session starts."))
    if check.kind == check.Kind.POST and (first is None or first.starts_at > now):
        raise FeedbackRefused(_("The post-test opens when the session starts."))
    questions = list(check.questions.all())
    if not questions:
        raise FeedbackRefused(_("This test has no questions yet."))
    missing = [q.pk for q in questions if q.pk not in choices]
    if missing:
        raise ValidationError({str(pk): _("This question needs an answer.") for pk in missing})
    correct = sum(1 for q in questions if choices[q.pk] == q.correct_index)
    # Rounded half up in whole numbers: 2 of 3 is 67%.
    score = (correct * 200 + len(questions)) // (2 * len(questions))
    with transaction.atomic():
        if KnowledgeCheckAttempt.objects.filter(
            check_obj=check, session=session, officer=officer
        ).exists():
            raise FeedbackRefused(_("You have already taken this test."))
        attempt = KnowledgeCheckAttempt.objects.create(
            check_obj=check, session=session, officer=officer, score=score, submitted_at=now
        )
        record(
            actor=officer,
            action=AuditEntry.Action.KNOWLEDGE_CHECK_ATTEMPTED,
            target=attempt,
            subject=officer,
            after={"session": session.reference, "kind": check.kind, "score": score},
        )
    return attempt


def save_session_settings(
    *,
    session: TrainingSession,
    acting_user: Any,
    attributed: bool,
    reminder_days: int | None,
    close_days: int | None,
) -> SessionEvaluation:
    """Set a session's feedback rules (attributed or anonymous, reminder and closing days).
    Refused once an answer exists: switching to attributed later would mislead those who
    answered anonymously, and switching back would orphan names."""
    with transaction.atomic():
        own, _created = SessionEvaluation.objects.select_for_update().get_or_create(session=session)
        before = {
            "attributed": own.attributed,
            "reminder_days": own.reminder_days,
            "close_days": own.close_days,
        }
        if (
            attributed != own.attributed
            and FeedbackResponse.objects.filter(session=session).exists()
        ):
            raise ValidationError(
                _(
                    "Feedback has been given on this session: it can no longer change between "
                    "anonymous and attributed."
                )
            )
        own.attributed = attributed
        own.reminder_days = reminder_days
        own.close_days = close_days
        own.save()
        record(
            actor=acting_user,
            action=AuditEntry.Action.FEEDBACK_SETTINGS_CHANGED,
            target=session,
            before=before,
            after={
                "attributed": attributed,
                "reminder_days": reminder_days,
                "close_days": close_days,
            },
        )
    return own


def save_course_settings(
    *,
    course_evaluation: CourseEvaluation,
    acting_user: Any,
    save: Callable[[], CourseEvaluation | None],
) -> CourseEvaluation:
    """Save a course's evaluation settings (the admin's form calls `save`) with an audit entry,
    in one transaction."""
    with transaction.atomic():
        course_evaluation = save() or course_evaluation
        record(
            actor=acting_user,
            action=AuditEntry.Action.FEEDBACK_SETTINGS_CHANGED,
            target=course_evaluation,
            after={
                "question_set": course_evaluation.question_set_id,
                "mode": course_evaluation.mode,
                "requires_feedback": course_evaluation.requires_feedback,
                "requires_post_test_pass": course_evaluation.requires_post_test_pass,
            },
        )
    return course_evaluation


def queue_feedback_invitations(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Invite attended officers whose session's form has opened, and remind once those who have
    not answered `reminder_days` after the invitation; nothing after the form closes. Idempotent:
    run it from cron as often as you like. Returns (invited, reminded) counts."""
    from .tasks import send_feedback_email

    now = now or timezone.now()
    invited = reminded = 0
    horizon = (now - datetime.timedelta(days=366)).date()
    sessions = TrainingSession.objects.exclude(status=TrainingSession.Status.CANCELLED).filter(
        end_date__gte=horizon, end_date__lte=now.date() + datetime.timedelta(days=1)
    )
    for session in sessions:
        window = selectors.feedback_window(session)
        if not window.is_open(now):
            continue
        _attributed, reminder_days, _close = selectors.session_settings(session)
        with transaction.atomic():
            existing = {
                i.officer_id: i
                for i in FeedbackInvitation.objects.select_for_update().filter(session=session)
            }
            new_ids: list[int] = []
            reminder_ids: list[int] = []
            for officer_id in selectors.attended_registrations(session).values_list(
                "officer_id", flat=True
            ):
                invitation = existing.get(officer_id)
                if invitation is None:
                    FeedbackInvitation.objects.create(
                        session=session, officer_id=officer_id, invited_at=now
                    )
                    new_ids.append(officer_id)
                elif invitation.answered:
                    continue
                elif invitation.invited_at is None:
                    invitation.invited_at = now
                    invitation.save(update_fields=["invited_at"])
                    new_ids.append(officer_id)
                elif (
                    invitation.reminded_at is None
                    and invitation.invited_at + datetime.timedelta(days=reminder_days) <= now
                ):
                    invitation.reminded_at = now
                    invitation.save(update_fields=["reminded_at"])
                    reminder_ids.append(officer_id)
            if new_ids or reminder_ids:
                record(
                    actor=None,
                    action=AuditEntry.Action.FEEDBACK_INVITED,
                    target=session,
                    after={"invited": len(new_ids), "reminded": len(reminder_ids)},
                )
            for kind, ids in (("invitation", new_ids), ("reminder", reminder_ids)):
                for officer_id in ids:
                    transaction.on_commit(
                        functools.partial(
                            send_feedback_email.enqueue,
                            session_id=session.pk,
                            officer_id=officer_id,
                            kind=kind,
                        )
                    )
        invited += len(new_ids)
        reminded += len(reminder_ids)
    return invited, reminded
