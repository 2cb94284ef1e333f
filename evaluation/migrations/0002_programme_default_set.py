"""The programme's default feedback questions (issue 17), so every installation asks them from
the start. Programme leads reword or translate them in the admin."""

from django.db import migrations

DEFAULT_QUESTIONS = [
    ("overall", "Overall, how satisfied are you with this training?", "rating", "", True),
    ("relevance", "How relevant was it to your work?", "rating", "", True),
    ("trainers", "How would you rate the trainers?", "rating", "", True),
    ("materials", "How would you rate the materials?", "rating", "", True),
    ("recommend", "How likely are you to recommend it to a colleague?", "recommend", "", True),
    ("improve", "What should we improve?", "text", "", False),
]


def create_default(apps, schema_editor):
    QuestionSet = apps.get_model("evaluation", "QuestionSet")
    Question = apps.get_model("evaluation", "Question")
    if QuestionSet.objects.filter(is_programme_default=True).exists():
        return
    question_set = QuestionSet.objects.create(name="Programme feedback", is_programme_default=True)
    for order, (key, text, kind, choices, required) in enumerate(DEFAULT_QUESTIONS):
        Question.objects.create(
            question_set=question_set,
            sort_order=order,
            key=key,
            text=text,
            kind=kind,
            choices=choices,
            required=required,
        )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
