"""Reads of the evaluation app: who may answer, when, which questions, and the results.

Every breakdown of feedback goes through `suppress()`: a group of fewer than
MIN_GROUP answers is shown as "fewer than 5" and its figures withheld, so no officer can be
recognised from a small group (DESIGN.md).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, F, Max, Q, QuerySet
from django.utils import timezone

from sessions.attendance.selectors import attended_registrations as attended
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


def attended_registrations(session: TrainingSession | None = None) -> QuerySet[Registration]:
    """Registrations whose officer was present or late on at least one day of the session (all
    sessions when None), on sessions that were not cancelled. The one place evaluation asks who
    attended, through the one definition of "attended" (sessions/attendance/selectors.py: a
    confirmed registration present or late on a day), the one certificates and reports count by."""
    queryset = attended(
        Registration.objects.exclude(session__status=TrainingSession.Status.CANCELLED)
    )
    if session is not None:
        queryset = queryset.filter(session=session)
    return queryset


def has_attended(session: TrainingSession, officer: Any) -> bool:
    return attended_registrations(session).filter(officer=officer).exists()


# --- Settings and the window ----------------------------------------------------------------


def session_settings(session: TrainingSession) -> tuple[bool, int, int]:
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

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.opens is not None and self.closes is not None and self.opens <= now < self.closes
        )


def feedback_window(session: TrainingSession) -> Window:
    """The form opens when the last day ends (its end in the session's zone, stored as a UTC
    instant on the day) and closes `close_days` later."""
    last = session.days.order_by("-ends_at").first()
    if last is None:
        return Window(None, None)
    _attributed, _reminder, close = session_settings(session)
    return Window(last.ends_at, last.ends_at + datetime.timedelta(days=close))


# --- Questions ------------------------------------------------------------------------------


def programme_default_set() -> QuestionSet | None:
    return QuestionSet.objects.filter(is_programme_default=True).first()


def course_evaluation(course: Any) -> CourseEvaluation | None:
    return CourseEvaluation.objects.filter(course=course).first()


def questions_for(session: TrainingSession) -> list[Question]:
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


def knowledge_check(course: Any, kind: str) -> KnowledgeCheck | None:
    return (
        KnowledgeCheck.objects.filter(course=course, kind=kind)
        .prefetch_related("questions")
        .first()
    )


def attempt_of(
    check: KnowledgeCheck, session: TrainingSession, officer: Any
) -> KnowledgeCheckAttempt | None:
    return KnowledgeCheckAttempt.objects.filter(
        check_obj=check, session=session, officer=officer
    ).first()


def has_answered(session: TrainingSession, officer: Any) -> bool:
    return FeedbackInvitation.objects.filter(
        session=session, officer=officer, answered=True
    ).exists()


def open_forms_for(officer: Any, now: datetime.datetime | None = None) -> list[TrainingSession]:
    """Sessions whose feedback form this officer may answer now (attended, not yet answered,
    window open). One query whatever the number of sessions: the last day's end and the
    session's own closing days are read in it, and the window computed as feedback_window()
    does (programme closing days when the session sets none)."""
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
        .annotate(last_end=Max("days__ends_at"), own_close_days=F("evaluation__close_days"))
        .select_related("course")
    )
    default_close = settings.MUSTER_FEEDBACK_CLOSE_DAYS
    forms = []
    for session in sessions:
        if session.last_end is None:
            continue
        close = session.own_close_days if session.own_close_days is not None else default_close
        if Window(session.last_end, session.last_end + datetime.timedelta(days=close)).is_open(now):
            forms.append(session)
    return forms


def attempts_of_officer(officer: Any) -> QuerySet[KnowledgeCheckAttempt]:
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
    distribution: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    suppressed: bool = False


def _distribution(
    question: Question, numbers: list[int], texts: list[str]
) -> list[tuple[str, int]]:
    if question.kind in (Question.Kind.RATING, Question.Kind.RECOMMEND):
        scale = range(1, 6) if question.kind == Question.Kind.RATING else range(0, 11)
        numbered = Counter(numbers)
        return [(str(v), numbered.get(v, 0)) for v in scale]
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        chosen = Counter(line for text in texts for line in text.splitlines() if line)
        return [(choice, chosen.get(choice, 0)) for choice in question.choice_list]
    return []


@dataclass
class KnowledgeResults:
    """A session's pre → post change for its trainers and the leads. Officers' own scores are
    theirs (My training): here no score carries a name, and below MIN_GROUP officers a figure
    is withheld (the counts still show), as for feedback."""

    pre_count: int = 0
    post_count: int = 0
    pre_average: float | None = None
    post_average: float | None = None
    # Post minus pre of each officer who sat both, highest first, without names.
    changes: list[int] = field(default_factory=list)
    gain: float | None = None
    both: int = 0

    @property
    def any(self) -> bool:
        return bool(self.pre_count or self.post_count)

    @property
    def suppressed(self) -> bool:
        return self.both < MIN_GROUP

    @property
    def improved(self) -> int:
        return sum(1 for change in self.changes if change > 0)

    @property
    def unchanged(self) -> int:
        return sum(1 for change in self.changes if change == 0)

    @property
    def declined(self) -> int:
        return sum(1 for change in self.changes if change < 0)


def session_knowledge(session: TrainingSession) -> KnowledgeResults:
    """The session's knowledge-check figures (KnowledgeResults), in one query."""
    pre, post = _knowledge_pairs(TrainingSession.objects.filter(pk=session.pk))
    changes = sorted((post[key] - pre[key] for key in post.keys() & pre.keys()), reverse=True)
    results = KnowledgeResults(pre_count=len(pre), post_count=len(post), both=len(changes))
    if len(pre) >= MIN_GROUP:
        results.pre_average = _mean(list(pre.values()))
    if len(post) >= MIN_GROUP:
        results.post_average = _mean(list(post.values()))
    if len(changes) >= MIN_GROUP:
        results.changes = changes
        results.gain = _mean(changes)
    return results


@dataclass
class SessionResults:
    session: TrainingSession
    invited: int
    responses: int
    questions: list[QuestionResult]
    knowledge: KnowledgeResults

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.responses / self.invited) if self.invited else None

    @property
    def suppressed(self) -> bool:
        return self.responses < MIN_GROUP


def session_results(session: TrainingSession) -> SessionResults:
    """Response rate, per-question averages and distributions, free text and pre/post scores for
    one session, in a fixed number of queries whatever the number of answers. Below MIN_GROUP
    responses the answers are withheld (the counts still show)."""
    invited = attended_registrations(session).count()
    responses = FeedbackResponse.objects.filter(session=session).count()
    questions = questions_for(session)
    by_question: defaultdict[int, tuple[list[int], list[str]]] = defaultdict(lambda: ([], []))
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
    return SessionResults(session, invited, responses, results, session_knowledge(session))


def knowledge_scores(
    sessions: QuerySet[TrainingSession],
) -> tuple[float | None, float | None, int, float | None]:
    """(mean pre-test, mean post-test, officers who sat both, mean post minus pre over them) for the
    sessions, in one query."""
    pre, post = _knowledge_pairs(sessions)
    paired = [post[key] - pre[key] for key in post.keys() & pre.keys()]
    return _mean(list(pre.values())), _mean(list(post.values())), len(paired), _mean(paired)


def _knowledge_pairs(
    sessions: QuerySet[TrainingSession],
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """({(session, officer): pre-test score}, {(session, officer): post-test score}), one query."""
    rows = KnowledgeCheckAttempt.objects.filter(session__in=sessions).values_list(
        "session_id", "officer_id", "check_obj__kind", "score"
    )
    pre: dict[tuple[int, int], int] = {}
    post: dict[tuple[int, int], int] = {}
    for session_id, officer_id, kind, score in rows:
        (pre if kind == KnowledgeCheck.Kind.PRE else post)[(session_id, officer_id)] = score
    return pre, post


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


# --- Programme figures (reports/) -----------------------------------------------------------


def feedback_figures(sessions: QuerySet[TrainingSession]) -> dict[str, Any]:
    """See `feedback_figures_and_pairs`; the figures alone."""
    return feedback_figures_and_pairs(sessions)[1]


def feedback_figures_and_pairs(
    sessions: QuerySet[TrainingSession],
) -> tuple[int, dict[str, Any]]:
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


def suppress(n: int) -> bool:
    """True when a group of n answers is too small to show (fewer than MIN_GROUP)."""
    return n < MIN_GROUP


FEEDBACK_BREAKDOWNS = {
    "course": "session__course__code",
    "trainer": "session__trainers__id",
    "agency_type": "agency_type",
    "jurisdiction": "country",
}


def feedback_breakdown(
    key: str, sessions: QuerySet[TrainingSession]
) -> list[tuple[Any, int | None, float | None]]:
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
    out: list[tuple[Any, int | None, float | None]] = []
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


def _conditions_missing(
    own: CourseEvaluation, *, answered: bool, check: KnowledgeCheck | None, score: int | None
) -> list[str]:
    """The one statement of the certificate condition: what an officer still lacks, given the
    course's settings, whether they answered the feedback form and their post-test score."""
    from django.utils.translation import gettext as _

    missing = []
    if own.requires_feedback and not answered:
        missing.append(_("Feedback not given yet."))
    if own.requires_post_test_pass and check is not None:
        mark = check.pass_mark or 0
        if score is None:
            missing.append(_("Post-test not taken yet."))
        elif score < mark:
            missing.append(
                _("Post-test score %(score)d%% is below the pass mark of %(mark)d%%.")
                % {"score": score, "mark": mark}
            )
    return missing


def certificate_conditions_missing(
    session: TrainingSession, officer_ids: Iterable[int]
) -> dict[int, list[str]]:
    """{officer id: [what is still missing]} for the course's evaluation conditions: feedback
    given, post-test passed. A fixed number of queries whatever the roster size; an officer with
    nothing missing is left out."""
    own = course_evaluation(session.course)
    if own is None or not (own.requires_feedback or own.requires_post_test_pass):
        return {}
    officer_ids = list(officer_ids)
    answered: set[int] = set()
    if own.requires_feedback:
        answered = set(
            FeedbackInvitation.objects.filter(
                session=session, officer_id__in=officer_ids, answered=True
            ).values_list("officer_id", flat=True)
        )
    check, scores = None, {}
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
    missing = {
        officer_id: _conditions_missing(
            own, answered=officer_id in answered, check=check, score=scores.get(officer_id)
        )
        for officer_id in officer_ids
    }
    return {officer_id: items for officer_id, items in missing.items() if items}


def certificate_missing_for_officer(officer: Any) -> list[tuple[TrainingSession, list[str]]]:
    """[(session, [what is still missing])] over the sessions this officer attended whose course
    requires feedback or a passed post-test before its certificate (My training shows them).
    Four queries whatever the number of sessions; sessions with nothing missing are left out."""
    registrations = list(
        attended_registrations()
        .filter(officer=officer)
        .filter(
            Q(session__course__evaluation__requires_feedback=True)
            | Q(session__course__evaluation__requires_post_test_pass=True)
        )
        .select_related("session__course__evaluation")
        .order_by("-session__start_date", "session__reference")
    )
    if not registrations:
        return []
    session_ids = [r.session_id for r in registrations]
    answered = set(
        FeedbackInvitation.objects.filter(
            officer=officer, session_id__in=session_ids, answered=True
        ).values_list("session_id", flat=True)
    )
    checks = {
        check.course_id: check
        for check in KnowledgeCheck.objects.filter(
            course_id__in={r.session.course_id for r in registrations},
            kind=KnowledgeCheck.Kind.POST,
        )
    }
    scores = dict(
        KnowledgeCheckAttempt.objects.filter(
            officer=officer, session_id__in=session_ids, check_obj__kind=KnowledgeCheck.Kind.POST
        ).values_list("session_id", "score")
    )
    rows = []
    for registration in registrations:
        session = registration.session
        missing = _conditions_missing(
            session.course.evaluation,
            answered=session.pk in answered,
            check=checks.get(session.course_id),
            score=scores.get(session.pk),
        )
        if missing and not _has_certificate(session, officer):
            rows.append((session, missing))
    return rows


def _has_certificate(session: TrainingSession, officer: Any) -> bool:
    # A certificate issued all the same (a lead's override) leaves nothing to ask for; the
    # certificates app answers through its hook, so evaluation never imports it.
    from wagtail import hooks

    return any(
        hook(session=session, officer=officer)
        for hook in hooks.get_hooks("muster_session_certificate")
    )
