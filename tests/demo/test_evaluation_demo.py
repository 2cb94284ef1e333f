"""The demo's feedback: a realistic response rate on 2023, free text in several languages,
pre/post tests, and an open form for the demo officer."""

import pytest
from django.core.management import call_command

from demo import data
from evaluation import selectors
from evaluation.models import FeedbackAnswer, KnowledgeCheckAttempt
from reports.figures import year_report

pytestmark = pytest.mark.django_db


def test_demo_feedback_and_the_demo_officers_open_form():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    figures = year_report(2023)["feedback"]
    assert 0.5 <= figures["response_rate"] <= 0.8
    assert 3.5 <= figures["satisfaction_avg"] <= 4.6
    assert figures["knowledge_gain_points"] > 0
    texts = set(FeedbackAnswer.objects.exclude(text="").values_list("text", flat=True))
    assert any("습" in t for t in texts) and any("交易所" in t for t in texts)
    assert KnowledgeCheckAttempt.objects.exists()
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(email=data.LOGINS[0][1])
    assert [s.reference.endswith("-HK-FB1") for s in selectors.open_forms_for(officer)] == [True]

    # The default questions read in Thai where the demo translated them, English elsewhere.
    from evaluation.models import Question, QuestionSet

    default = Question.objects.filter(
        question_set=QuestionSet.objects.get(is_programme_default=True)
    )
    questions = {q.key: q for q in default}
    assert questions["overall"].text_in("th") != questions["overall"].text
    assert questions["relevance"].text_in("th") == questions["relevance"].text
