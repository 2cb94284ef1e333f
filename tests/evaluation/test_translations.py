"""Feedback questions in the officer's language: each question carries its text and choices
per offered language, validated against the languages the site offers; the form falls back to
English for a language without a translation; answers are stored in English whatever the
language they were read in, so one question keeps one set of results."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation import selectors, services
from evaluation.models import FeedbackAnswer, Question, QuestionSet
from tests.clients import MusterClient as Client

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db

THAI = {"text": "คุณชอบส่วนใดมากที่สุด", "choices": "กรณีศึกษา\nแบบฝึกหัด"}


def _question(**fields):
    question_set = QuestionSet.objects.create(name="Course set")
    values = {
        "question_set": question_set,
        "text": "Which part helped most?",
        "kind": "single",
        "choices": "Case studies\nExercises",
        "required": False,
        **fields,
    }
    return Question(**values)


def test_a_translation_for_an_offered_language_is_accepted():
    _question(translations={"th": THAI}).full_clean()


@pytest.mark.parametrize(
    "translations, message",
    [
        ({"de": {"text": "Welcher Teil?"}}, "de is not one of the languages"),
        ({"en": {"text": "Again in English"}}, "en is not one of the languages"),
        ({"th": {"text": "x", "choices": "one only"}}, "must match the English ones"),
        ({"th": {"title": "x"}}, 'takes "text"'),
        ({"th": {"text": "x" * 301}}, "at most 300 characters"),
        (["th"], "as an object"),
    ],
)
def test_a_translation_the_rules_refuse(translations, message):
    with pytest.raises(ValidationError) as refused:
        _question(translations=translations).full_clean()
    assert message in str(refused.value)


def test_text_and_choices_fall_back_to_english_per_language():
    question = _question(translations={"th": THAI, "ko": {"text": "어느 부분이 도움이 되었나요?"}})
    assert question.text_in("th") == THAI["text"]
    assert question.choices_in("th") == [("Case studies", "กรณีศึกษา"), ("Exercises", "แบบฝึกหัด")]
    # Korean text without choices: the choices are read in English.
    assert question.text_in("ko") == "어느 부분이 도움이 되었나요?"
    assert question.choices_in("ko") == [
        ("Case studies", "Case studies"),
        ("Exercises", "Exercises"),
    ]
    assert question.text_in("zh-hans") == "Which part helped most?"


def _form(session, officer, language):
    """The officer's client reading the site in `language`: a sign-in puts their preferred
    language in the language cookie (accounts.middleware.PreferredLanguageMiddleware)."""
    client = Client()
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client, reverse("evaluation:feedback", args=[session.reference])


def test_the_form_is_shown_in_the_officers_language_and_stored_in_english():
    session, (officer, other) = ended_session(attendees=2)
    question = _question(translations={"th": THAI})
    question.save()
    from evaluation.models import CourseEvaluation

    CourseEvaluation.objects.create(course=session.course, question_set=question.question_set)
    client, url = _form(session, officer, "th")
    html = client.get(url).content.decode()
    assert THAI["text"] in html and "กรณีศึกษา" in html
    assert 'value="Case studies"' in html
    assert "Which part helped most?" not in html
    data = {f"q{pk}": value for pk, value in answers(session).items()}
    data[f"q{question.pk}"] = "Case studies"
    assert client.post(url, data).status_code == 302
    assert FeedbackAnswer.objects.filter(question=question).get().text == "Case studies"
    # Korean has no translation of this question: English, with the same values.
    client, url = _form(session, other, "ko")
    html = client.get(url).content.decode()
    assert "Which part helped most?" in html and 'value="Exercises"' in html


def test_results_count_answers_given_in_any_language_together():
    session, officers = ended_session(attendees=5)
    question = _question(translations={"th": THAI})
    question.save()
    from evaluation.models import CourseEvaluation

    CourseEvaluation.objects.create(course=session.course, question_set=question.question_set)
    for officer in officers:
        data = answers(session)
        data[question.pk] = "Exercises"
        services.submit_feedback(session=session, officer=officer, data=data)
    row = next(
        r for r in selectors.session_results(session).questions if r.question.pk == question.pk
    )
    assert dict(row.distribution) == {"Case studies": 0, "Exercises": 5}
