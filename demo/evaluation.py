"""Feedback and knowledge checks for the demo (issue 17).

About two thirds of the officers who attended a delivered 2023 session answered its feedback form
(anonymously, with free text in several languages); three courses have a pre-test and a
post-test that their 2023 attendees sat; and a session that ended yesterday has an open form for
the demo officer (signed in as officer@hkpf.example, My training links to it) and results for the
demo trainer once five people answer. Deterministic (demo.rng) and bulk-written.
"""

import datetime

from django.contrib.auth import get_user_model

from evaluation.models import (
    CheckQuestion,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    KnowledgeCheck,
    KnowledgeCheckAttempt,
    Question,
    QuestionSet,
)
from sessions.attendance.services import refresh_participated
from sessions.models import Attendance, Registration, SessionDay, TrainingSession

from . import data

RESPONSE_RATE = 0.65
FREE_TEXT = [
    "More hands-on tracing exercises, please.",
    "The exchange-cooperation session was the most useful part.",
    "希望有更多關於加密貨幣交易所調取資料的實例。",
    "더 많은 실습 시간이 있었으면 좋겠습니다.",
    "ขอเอกสารประกอบเป็นภาษาไทยด้วย",
    "Plus de cas pratiques sur les escroqueries « pig butchering ».",
    "Mehr Zeit für die DeFi-Fallstudien.",
    "",
]
TEST_COURSES = 3
TEST_QUESTIONS = [
    ("What does a blockchain explorer show?", "*Transactions and addresses\nPasswords\nIP logs"),
    ("Which record does an exchange hold?", "*KYC documents\nThe private keys of every user"),
    ("What is a mixer used for?", "*Obscuring the trail of funds\nMining new coins"),
    ("What is 'pig butchering'?", "*A long-con investment scam\nA ransomware strain"),
]


# The programme default set read in Thai and Korean (Question.translations); the rest of the
# questions fall back to English, as a lead's half-finished translation would.
TRANSLATIONS = {
    "overall": {
        "th": {"text": "โดยรวมแล้ว คุณพึงพอใจกับการฝึกอบรมนี้เพียงใด"},
        "ko": {"text": "전반적으로 이 교육에 얼마나 만족하십니까?"},
    },
    "recommend": {
        "th": {"text": "คุณมีแนวโน้มจะแนะนำการฝึกอบรมนี้ให้เพื่อนร่วมงานมากน้อยเพียงใด"},
        "ko": {"text": "동료에게 이 교육을 추천할 가능성은 얼마나 됩니까?"},
    },
    "improve": {
        "th": {"text": "เราควรปรับปรุงอะไรบ้าง"},
        "ko": {"text": "무엇을 개선해야 할까요?"},
    },
}


def _translate_default_set(questions):
    for question in questions:
        if question.key in TRANSLATIONS:
            question.translations = TRANSLATIONS[question.key]
            question.full_clean()
    Question.objects.bulk_update(questions, ["translations"])


def _rating(rng):
    # Mostly satisfied, as the programme reports; a few poor marks so the spread means something.
    return rng.choices(range(1, 6), weights=[1, 2, 6, 14, 12])[0]


def build_evaluation(demo):
    rng = demo.rng
    questions = list(
        Question.objects.filter(question_set=QuestionSet.objects.get(is_programme_default=True))
    )
    _translate_default_set(questions)
    checks = _build_checks(demo)
    sessions = list(
        TrainingSession.objects.filter(
            status=TrainingSession.Status.DELIVERED, start_date__year=2023
        ).select_related("course")
    )
    registrations = (
        Registration.objects.filter(session__in=sessions, participated=True)
        .select_related("officer__officer_profile__agency__jurisdiction")
        .order_by("session_id", "officer_id")
    )
    invitations, responses, answers, attempts = [], [], [], []
    ends = {s.pk: s.days.order_by("-ends_at").first().ends_at for s in sessions}
    for registration in registrations:
        answered = rng.random() < RESPONSE_RATE
        invitations.append(
            FeedbackInvitation(
                session_id=registration.session_id,
                officer_id=registration.officer_id,
                invited_at=ends[registration.session_id],
                answered=answered,
            )
        )
        if answered:
            profile = getattr(registration.officer, "officer_profile", None)
            agency = profile.agency if profile else None
            response = FeedbackResponse(
                session_id=registration.session_id,
                agency_type=agency.type if agency else "",
                country=agency.jurisdiction.code.split("-")[0][:2] if agency else "",
            )
            responses.append(response)
            answers += [_answer(rng, response, q) for q in questions]
        for check in checks.get(registration.session.course_id, []):
            start = ends[registration.session_id] - datetime.timedelta(days=1)
            base = rng.randint(25, 60) if check.kind == "pre" else rng.randint(60, 100)
            attempts.append(
                KnowledgeCheckAttempt(
                    check_obj=check,
                    session_id=registration.session_id,
                    officer_id=registration.officer_id,
                    score=base // 25 * 25,
                    submitted_at=start,
                )
            )
    FeedbackInvitation.objects.bulk_create(invitations)
    # Shuffled, as the service writes them: the order says nothing about who answered.
    rng.shuffle(responses)
    FeedbackResponse.objects.bulk_create(responses)
    FeedbackAnswer.objects.bulk_create([a for a in answers if a is not None])
    KnowledgeCheckAttempt.objects.bulk_create(attempts)
    _open_form_for_demo_officer(demo)


def _answer(rng, response, question):
    if question.kind == Question.Kind.RATING:
        return FeedbackAnswer(response=response, question=question, number=_rating(rng))
    if question.kind == Question.Kind.RECOMMEND:
        number = rng.choices(range(11), weights=[1, 0, 0, 1, 1, 2, 3, 6, 10, 12, 10])[0]
        return FeedbackAnswer(response=response, question=question, number=number)
    text = rng.choice(FREE_TEXT)
    return FeedbackAnswer(response=response, question=question, text=text) if text else None


def _build_checks(demo):
    checks = {}
    for course in demo.courses[:TEST_COURSES]:
        for kind, mark in (("pre", None), ("post", 70)):
            check = KnowledgeCheck.objects.create(course=course, kind=kind, pass_mark=mark)
            for order, (text, choices) in enumerate(TEST_QUESTIONS):
                CheckQuestion.objects.create(
                    check_obj=check, sort_order=order, text=text, choices=choices
                )
            checks.setdefault(course.pk, []).append(check)
    return checks


def _open_form_for_demo_officer(demo):
    """A one-day workshop that ended yesterday in Hong Kong: the demo officer and a few others
    attended, nobody has answered yet. Still "scheduled" (its trainer has not marked it delivered
    yet), so the demo's yearly figures stay those of 2022 and 2023."""
    User = get_user_model()
    officer = User.objects.filter(email=data.LOGINS[0][1]).first()
    trainer = User.objects.filter(email=data.LOGINS[1][1]).first()
    if officer is None:
        return
    day = demo.now.date() - datetime.timedelta(days=1)
    session = TrainingSession.objects.create(
        reference=f"{day.year}-HK-FB1",
        course=demo.courses[0],
        status=TrainingSession.Status.SCHEDULED,
        time_zone="Asia/Hong_Kong",
        city="Hong Kong",
        country="HK",
        venue="Police Headquarters",
    )
    SessionDay.objects.create(
        session=session, date=day, start_time=datetime.time(9), end_time=datetime.time(17)
    )
    session.refresh_schedule()
    if trainer is not None:
        session.trainers.add(trainer)
    others = [o for o in demo.officers if o.pk != officer.pk][:7]
    for person in [officer, *others]:
        registration = Registration.objects.create(
            session=session, officer=person, status=Registration.Status.CONFIRMED
        )
        Attendance.objects.create(
            registration=registration,
            day=session.days.get(),
            status=Attendance.Status.PRESENT,
            method=Attendance.Method.ROLL_CALL,
        )
        # The attendance service keeps the stored flag; bulk writers call it themselves.
        refresh_participated([registration.pk])
