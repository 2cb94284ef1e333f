"""Reads of the evaluation app: who may answer, when, which questions, and the results.

Every breakdown of feedback goes through `suppress()`: a group of fewer than
MIN_GROUP answers is shown as "fewer than 5" and its figures withheld, so no officer can be
recognised from a small group (DESIGN.md).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from sessions.models import Registration, TrainingSession

from .models import (
    CourseEvaluation,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    KnowledgeCheck,
    KnowledgeCheckAttempt,
    Question,
    QuestionSet,
    SessionEvaluation,
)

MIN_GROUP = 5


def attended_registrations(session=None):
    """Registrations whose officer was present or late on at least one day of the session (all
    sessions when None). The one place evaluation asks who attended: it delegates to the rule
    the certificates and reports count by (`Registration.participated`, kept by every attendance
    write), so pointing it at the sessions app's attended selector changes every caller."""
    queryset = Registration.objects.filter(participated=True).exclude(
        session__status=TrainingSession.Status.CANCELLED
    )
    if session is not None:
        queryset = queryset.filter(session=session)
    return queryset


def has_attended(session, officer):
    return attended_registrations(session).filter(officer=officer).exists()


# --- Settings and the window ----------------------------------------------------------------


def session_settings(session):
    """(attributed, reminder_days, close_days) for the session: its own, else the programme's."""
    own = SessionEvaluation.objects.filter(session=session).first()
    reminder = settings.MUSTER_FEEDBACK_REMINDER_DAYS
    close = settings.MUSTER_FEEDBACK_CLOSE_DAYS
    if own is None:
        return False, reminder, close
    return (
        own.attributed,
        own.reminder_days if own.reminder_days is not None else reminder,
        own.close_days if own.close_days is not None else close,
    )


@dataclass
class Window:
    opens: datetime.datetime | None
    closes: datetime.datetime | None

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens is not None and self.opens <= now < self.closes


def feedback_window(session):
    """The form opens when the last day ends (its end in the session's zone, stored as a UTC
    instant on the day) and closes `close_days` later."""
    last = session.days.order_by("-ends_at").first()
    if last is None:
        return Window(None, None)
    _attributed, _reminder, close = session_settings(session)
    return Window(last.ends_at, last.ends_at + datetime.timedelta(days=close))


# --- Questions ------------------------------------------------------------------------------


def programme_default_set():
    return QuestionSet.objects.filter(is_programme_default=True).first()


def course_evaluation(course):
    return CourseEvaluation.objects.filter(course=course).first()


def questions_for(session):
    """The session's feedback questions: the programme default, plus or instead of the course's
    own set."""
    own = course_evaluation(session.course)
    sets = []
    default = programme_default_set()
    uses_default = (
        own is None or own.question_set_id is None or own.mode == CourseEvaluation.Mode.ADD
    )
    if uses_default and default is not None:
        sets.append(default.pk)
    if own is not None and own.question_set_id is not None:
        sets.append(own.question_set_id)
    order = {pk: i for i, pk in enumerate(sets)}
    questions = list(Question.objects.filter(question_set_id__in=sets))
    return sorted(questions, key=lambda q: (order[q.question_set_id], q.sort_order, q.pk))


def knowledge_check(course, kind):
    return (
        KnowledgeCheck.objects.filter(course=course, kind=kind)
        .prefetch_related("questions")
        .first()
    )


def attempt_of(check, session, officer):
    return KnowledgeCheckAttempt.objects.filter(
        check_obj=check, session=session, officer=officer
    ).first()


def has_answered(session, officer):
    return FeedbackInvitation.objects.filter(
        session=session, officer=officer, answered=True
    ).exists()


def open_forms_for(officer, now=None):
    """Sessions whose feedback form this officer may answer now (attended, not yet answered,
    window open)."""
    now = now or timezone.now()
    sessions = (
        TrainingSession.objects.filter(
            pk__in=attended_registrations().filter(officer=officer).values("session_id")
        )
        .exclude(
            pk__in=FeedbackInvitation.objects.filter(officer=officer, answered=True).values(
                "session_id"
            )
        )
        .filter(end_date__gte=(now - datetime.timedelta(days=60)).date())
        .select_related("course")
    )
    return [s for s in sessions if feedback_window(s).is_open(now)]


def attempts_of_officer(officer):
    return (
        KnowledgeCheckAttempt.objects.filter(officer=officer)
        .select_related("check_obj", "session__course")
        .order_by("-submitted_at")
    )


# --- Results --------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    count: int = 0
    average: float | None = None
    distribution: list = field(default_factory=list)  # [(label, n)]
    texts: list = field(default_factory=list)
    suppressed: bool = False


def _distribution(question, numbers, texts):
    if question.kind == Question.Kind.RATING:
        counts = Counter(numbers)
        return [(str(v), counts.get(v, 0)) for v in range(1, 6)]
    if question.kind == Question.Kind.RECOMMEND:
        counts = Counter(numbers)
        return [(str(v), counts.get(v, 0)) for v in range(0, 11)]
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        counts = Counter(line for text in texts for line in text.splitlines() if line)
        return [(choice, counts.get(choice, 0)) for choice in question.choice_list]
    return []


@dataclass
class SessionResults:
    session: TrainingSession
    invited: int
    responses: int
    questions: list
    pre_average: float | None
    post_average: float | None
    both: int
    gain: float | None

    @property
    def response_rate(self):
        return round(100 * self.responses / self.invited) if self.invited else None

    @property
    def suppressed(self):
        return self.responses < MIN_GROUP


def session_results(session):
    """Response rate, per-question averages and distributions, free text and pre/post scores for
    one session, in a fixed number of queries whatever the number of answers. Below MIN_GROUP
    responses the answers are withheld (the counts still show)."""
    invited = attended_registrations(session).count()
    responses = FeedbackResponse.objects.filter(session=session).count()
    questions = questions_for(session)
    by_question = defaultdict(lambda: ([], []))
    if responses >= MIN_GROUP:
        for question_id, number, text in FeedbackAnswer.objects.filter(
            response__session=session
        ).values_list("question_id", "number", "text"):
            numbers, texts = by_question[question_id]
            if number is not None:
                numbers.append(number)
            if text:
                texts.append(text)
    results = []
    for question in questions:
        numbers, texts = by_question[question.pk]
        result = QuestionResult(question, count=len(numbers) + len(texts))
        if responses < MIN_GROUP:
            result.suppressed = True
        else:
            if numbers:
                result.average = round(sum(numbers) / len(numbers), 2)
            result.distribution = _distribution(question, numbers, texts)
            if question.kind == Question.Kind.TEXT:
                # Sorted, so the list's order says nothing about who answered when.
                result.texts = sorted(texts)
        results.append(result)
    pre, post, both, gain = knowledge_scores(TrainingSession.objects.filter(pk=session.pk))
    return SessionResults(session, invited, responses, results, pre, post, both, gain)


def knowledge_scores(sessions):
    """(mean pre-test, mean post-test, officers who sat both, mean post minus pre over them) for the
    sessions, in one query."""
    rows = KnowledgeCheckAttempt.objects.filter(session__in=sessions).values_list(
        "session_id", "officer_id", "check_obj__kind", "score"
    )
    pre, post = {}, {}
    for session_id, officer_id, kind, score in rows:
        (pre if kind == KnowledgeCheck.Kind.PRE else post)[(session_id, officer_id)] = score
    mean = lambda values: round(sum(values) / len(values), 1) if values else None  # noqa: E731
    paired = [post[key] - pre[key] for key in post.keys() & pre.keys()]
    return mean(list(pre.values())), mean(list(post.values())), len(paired), mean(paired)


# --- Programme figures (reports/) -----------------------------------------------------------


def feedback_figures(sessions):
    """See `feedback_figures_and_pairs`; the figures alone."""
    return feedback_figures_and_pairs(sessions)[1]


def feedback_figures_and_pairs(sessions):
    """(officers who sat both tests, the "feedback" object of the yearly report) for these
    sessions (README "Counting rules"), in four queries.

    responses: feedback responses; invited: attended registrations (present or late on a day);
    response_rate: responses / invited (0..1, 2 places); satisfaction_avg: mean answer to the
    "overall" question; satisfied: "overall" answers of 4 or 5; recommend_nps: % of 9 or 10 minus %
    of 0 to 6 among "recommend" answers, rounded; knowledge_gain_points: mean post minus pre score
    over officers who sat both tests of the same session.
    """
    responses = FeedbackResponse.objects.filter(session__in=sessions).count()
    invited = attended_registrations().filter(session__in=sessions).count()
    # One query for both questions' figures.
    overall_q, recommend_q = Q(question__key="overall"), Q(question__key="recommend")
    agg = FeedbackAnswer.objects.filter(
        response__session__in=sessions, number__isnull=False
    ).aggregate(
        avg=Avg("number", filter=overall_q),
        satisfied=Count("pk", filter=overall_q & Q(number__gte=4)),
        n=Count("pk", filter=recommend_q),
        promoters=Count("pk", filter=recommend_q & Q(number__gte=9)),
        detractors=Count("pk", filter=recommend_q & Q(number__lte=6)),
    )
    overall = recommend = agg
    nps = (
        round(100 * (recommend["promoters"] - recommend["detractors"]) / recommend["n"])
        if recommend["n"]
        else 0
    )
    _pre, _post, both, gain = knowledge_scores(sessions)
    return both, {
        "responses": responses,
        "invited": invited,
        "response_rate": round(responses / invited, 2) if invited else 0.0,
        "satisfaction_avg": round(overall["avg"] or 0, 2),
        "satisfied": overall["satisfied"],
        "recommend_nps": nps,
        "knowledge_gain_points": gain if gain is not None else 0.0,
    }


def suppress(n):
    """True when a group of n answers is too small to show (fewer than MIN_GROUP)."""
    return n < MIN_GROUP


FEEDBACK_BREAKDOWNS = {
    "course": "session__course__code",
    "trainer": "session__trainers__id",
    "agency_type": "agency_type",
    "jurisdiction": "country",
}


def feedback_breakdown(key, sessions):
    """[(group value, responses, satisfaction average or None)] grouped by course, trainer,
    agency type or jurisdiction; a group of fewer than MIN_GROUP responses carries None for its
    count and average (the caller shows "fewer than 5")."""
    path = FEEDBACK_BREAKDOWNS[key]
    rows = (
        FeedbackResponse.objects.filter(session__in=sessions)
        .exclude(**{f"{path}__isnull": True})
        .values(k=F(path))
        .annotate(
            n=Count("pk", distinct=True),
            avg=Avg("answers__number", filter=Q(answers__question__key="overall")),
        )
        .order_by("k")
    )
    out = []
    for row in rows:
        if row["k"] in ("", None):
            continue
        if suppress(row["n"]):
            out.append((row["k"], None, None))
        else:
            out.append(
                (row["k"], row["n"], round(row["avg"], 2) if row["avg"] is not None else None)
            )
    return out


# --- The certificate condition (certificates/eligibility.py asks this) ----------------------


def certificate_conditions_missing(session, officer_ids):
    """{officer id: [what is still missing]} for the course's evaluation conditions: feedback
    given, post-test passed. A fixed number of queries whatever the roster size; an officer with
    nothing missing is left out."""
    from django.utils.translation import gettext as _

    own = course_evaluation(session.course)
    if own is None or not (own.requires_feedback or own.requires_post_test_pass):
        return {}
    officer_ids = list(officer_ids)
    missing = defaultdict(list)
    if own.requires_feedback:
        answered = set(
            FeedbackInvitation.objects.filter(
                session=session, officer_id__in=officer_ids, answered=True
            ).values_list("officer_id", flat=True)
        )
        for officer_id in officer_ids:
            if officer_id not in answered:
                missing[officer_id].append(_("Feedback not given yet."))
    if own.requires_post_test_pass:
        check = KnowledgeCheck.objects.filter(
            course=session.course, kind=KnowledgeCheck.Kind.POST
        ).first()
        if check is not None:
            scores = dict(
                KnowledgeCheckAttempt.objects.filter(
                    check_obj=check, session=session, officer_id__in=officer_ids
                ).values_list("officer_id", "score")
            )
            mark = check.pass_mark or 0
            for officer_id in officer_ids:
                score = scores.get(officer_id)
                if score is None:
                    missing[officer_id].append(_("Post-test not taken yet."))
                elif score < mark:
                    missing[officer_id].append(
                        _("Post-test score %(score)d%% is below the pass mark of %(mark)d%%.")
                        % {"score": score, "mark": mark}
                    )
    return dict(missing)
