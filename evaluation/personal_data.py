"""The evaluation app's part of a person's data export and of anonymising them (registered in
wagtail_hooks.py). Anonymous feedback is not in the export: nothing ties it to the person, which
is the point; attributed answers and knowledge-check attempts are."""

from .models import FeedbackAnswer, FeedbackInvitation, FeedbackResponse, KnowledgeCheckAttempt


def sections(user):
    attempts = KnowledgeCheckAttempt.objects.filter(officer=user).select_related(
        "check_obj", "session"
    )
    answers = FeedbackAnswer.objects.filter(response__officer=user).select_related(
        "response__session", "question"
    )
    return {
        "knowledge_check_attempts": [
            {
                "session": a.session.reference,
                "kind": a.check_obj.kind,
                "score": a.score,
                "submitted_at": a.submitted_at.isoformat(),
            }
            for a in attempts.order_by("submitted_at", "pk")
        ],
        "feedback_given": sorted(
            FeedbackInvitation.objects.filter(officer=user, answered=True).values_list(
                "session__reference", flat=True
            )
        ),
        "attributed_feedback": [
            {
                "session": a.response.session.reference,
                "question": a.question.text,
                "answer": a.number if a.number is not None else a.text,
            }
            for a in answers.order_by("response__session__reference", "question__sort_order")
        ],
    }


def anonymise(user):
    """Knowledge-check attempts lose their officer by being deleted (the scores' averages are
    recomputed without them; nothing else counts them); attributed feedback becomes anonymous
    (the answers stay in the figures); invitations go."""
    KnowledgeCheckAttempt.objects.filter(officer=user).delete()
    FeedbackResponse.objects.filter(officer=user).update(officer=None)
    FeedbackInvitation.objects.filter(officer=user).delete()
