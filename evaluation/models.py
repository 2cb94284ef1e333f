"""Feedback after a session and knowledge checks before and after it.

Anonymity (DESIGN.md "Feedback is anonymous unless the session says otherwise") is a property of
these tables, not of the screens that read them:

- `FeedbackInvitation` is the only record that names an officer: it says whether they were
  invited, reminded and have answered (to refuse a second answer and to remind only those who
  have not). It has no key to a response and no time of answering.
- `FeedbackResponse` and `FeedbackAnswer` carry random UUID keys and no timestamp, and an
  anonymous session's responses are rewritten in shuffled order after every submission
  (services.submit_feedback), so neither a key, a time nor the physical row order joins an answer
  to an invitation. Only a session that collects attributed feedback fills `officer`.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class QuestionSet(ClusterableModel):
    """A list of feedback questions. Programme leads edit them in the admin; one set is the
    programme's default, asked after every session unless the course uses its own."""

    name = models.CharField(_("name"), max_length=200)
    is_programme_default = models.BooleanField(
        _("programme default"),
        default=False,
        help_text=_("Asked after every session whose course does not use its own set."),
    )

    class Meta:
        verbose_name = _("feedback question set")
        verbose_name_plural = _("feedback question sets")
        ordering = ["-is_programme_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_programme_default"],
                condition=Q(is_programme_default=True),
                name="evaluation_one_programme_default_set",
            )
        ]

    def __str__(self):
        return self.name


class Question(Orderable):
    """One question of a set, edited inline with it."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1 to 5")
        RECOMMEND = "recommend", _("Would recommend 0 to 10")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    question_set = ParentalKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions", verbose_name=_("set")
    )
    # A stable key the yearly figures look for ("overall", "recommend") whatever the wording or
    # language of the question.
    key = models.SlugField(
        _("key"),
        max_length=40,
        blank=True,
        help_text=_('"overall" for overall satisfaction; "recommend" for would recommend.'),
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.RATING)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("One per line, for single and multiple choice.")
    )
    required = models.BooleanField(_("required"), default=True)
    # The question and its choices in the other offered languages: {"th": {"text": "…",
    # "choices": "one per line, in the order of the English ones"}}. `text` and `choices` above
    # are the programme's language (settings.LANGUAGE_CODE) and the fallback for any language
    # missing here. Answers are stored against the question row and the English choice, so a
    # question asked in five languages still has one set of results.
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Per language code: {"th": {"text": "the question", "choices": "one per line, in '
            'the same order"}}. A language left out is asked in English.'
        ),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("feedback question")
        verbose_name_plural = _("feedback questions")

    def __str__(self):
        return self.text

    @property
    def choice_list(self):
        return _lines(self.choices)

    def _translation(self, language):
        entry = (self.translations or {}).get(language)
        return entry if isinstance(entry, dict) else {}

    def text_in(self, language):
        """The question in `language`, else in English."""
        return self._translation(language).get("text") or self.text

    def choices_in(self, language):
        """[(value, label)]: the stored value is the English choice, whatever language the
        officer read it in; the label is the translation when there is one for every choice."""
        labels = _lines(self._translation(language).get("choices") or "")
        english = self.choice_list
        if len(labels) != len(english):
            labels = english
        return list(zip(english, labels, strict=True))

    def clean(self):
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE) and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})
        self._clean_translations()

    def _clean_translations(self):
        from accounts.languages import offered_languages

        translations = self.translations or {}
        if not isinstance(translations, dict):
            raise ValidationError({"translations": _("Give the translations as an object.")})
        offered = [code for code in offered_languages() if code != settings.LANGUAGE_CODE]
        for language, entry in translations.items():
            if language not in offered:
                raise ValidationError(
                    {
                        "translations": _(
                            "%(language)s is not one of the languages questions are translated "
                            "into (%(offered)s)."
                        )
                        % {"language": language, "offered": ", ".join(offered)}
                    }
                )
            if not isinstance(entry, dict) or set(entry) - {"text", "choices"}:
                raise ValidationError(
                    {
                        "translations": _(
                            'Each language takes "text" and, for choices, "choices" only.'
                        )
                    }
                )
            text, choices = entry.get("text", ""), entry.get("choices", "")
            if not isinstance(text, str) or not isinstance(choices, str) or len(text) > 300:
                raise ValidationError(
                    {
                        "translations": _(
                            "The %(language)s question must be text of at most 300 characters."
                        )
                        % {"language": language}
                    }
                )
            if choices.strip() and len(_lines(choices)) != len(self.choice_list):
                raise ValidationError(
                    {
                        "translations": _(
                            "The %(language)s choices must match the English ones, one per line "
                            "in the same order (%(count)d)."
                        )
                        % {"language": language, "count": len(self.choice_list)}
                    }
                )


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class CourseEvaluation(models.Model):
    """What a course asks after its sessions and what its certificate needs. Programme leads
    edit it in the admin; a course without one uses the programme default set and requires
    nothing."""

    class Mode(models.TextChoices):
        ADD = "add", _("Programme default set, then this set's questions")
        REPLACE = "replace", _("This set instead of the programme default")

    course = models.OneToOneField(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    question_set = models.ForeignKey(
        QuestionSet,
        verbose_name=_("own question set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mode = models.CharField(_("use of own set"), max_length=8, choices=Mode.choices, default="add")
    requires_feedback = models.BooleanField(_("certificate requires feedback"), default=False)
    requires_post_test_pass = models.BooleanField(
        _("certificate requires passing the post-test"), default=False
    )

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")

    def __str__(self):
        return str(self.course)


class SessionEvaluation(models.Model):
    """A session's departures from the programme's feedback rules. Programme leads and the
    session's trainers edit it; without one the programme settings apply."""

    session = models.OneToOneField(
        "training_sessions.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    attributed = models.BooleanField(
        _("attributed feedback"),
        default=False,
        help_text=_("Store the officer's name with their answers. Anonymous when unticked."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), null=True, blank=True
    )
    close_days = models.PositiveSmallIntegerField(_("close after (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("session evaluation")
        verbose_name_plural = _("session evaluations")

    def __str__(self):
        return str(self.session)


class FeedbackInvitation(models.Model):
    """That an officer was asked for feedback on a session and whether they have answered.
    Written by services only; never joined to an answer (see the module docstring)."""

    session = models.ForeignKey(
        "training_sessions.TrainingSession", on_delete=models.CASCADE, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_invitations"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("feedback invitation")
        verbose_name_plural = _("feedback invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "officer"], name="evaluation_one_invitation_per_officer"
            )
        ]

    def __str__(self):
        return f"{self.officer} · {self.session.reference}"


class FeedbackResponse(models.Model):
    """One officer's answers to a session's form, without their identity unless the session
    collects attributed feedback. The agency type and country are kept (coarse, and shown only
    in groups of 5 or more) so results can be broken down the way the programme reports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        on_delete=models.PROTECT,
        related_name="feedback_responses",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only when the session collects attributed feedback."),
    )
    agency_type = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)

    class Meta:
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")
        # Never by insertion: there is no such order to give away.
        ordering = ["id"]

    def __str__(self):
        return str(_("Feedback on %(reference)s") % {"reference": self.session.reference})


class FeedbackAnswer(models.Model):
    """One answer of a response: a number (ratings, 0 to 10) or text (free text; choices, one
    per line)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.SmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="evaluation_one_answer_per_question"
            )
        ]

    def __str__(self):
        return str(self.number) if self.number is not None else self.text[:50]


class KnowledgeCheck(ClusterableModel):
    """A course's pre-test or post-test: multiple-choice questions with their correct answers.
    Programme leads and editors edit them in the admin."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="knowledge_checks",
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Post-test only: the score a certificate requires, when the course says so."),
    )

    class Meta:
        verbose_name = _("knowledge check")
        verbose_name_plural = _("knowledge checks")
        constraints = [
            models.UniqueConstraint(fields=["course", "kind"], name="evaluation_one_check_per_kind")
        ]

    def __str__(self):
        return f"{self.course} · {self.get_kind_display()}"


class CheckQuestion(Orderable):
    """A multiple-choice question of a knowledge check. Choices one per line; the correct one
    starts with "*"."""

    check_obj = ParentalKey(KnowledgeCheck, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    choices = models.TextField(
        _("choices"), help_text=_('One per line; mark the correct one with a leading "*".')
    )

    class Meta(Orderable.Meta):
        verbose_name = _("knowledge-check question")

    def __str__(self):
        return self.text

    @property
    def choice_list(self):
        return [
            line.strip().lstrip("*").strip() for line in self.choices.splitlines() if line.strip()
        ]

    @property
    def correct_index(self):
        lines = [line.strip() for line in self.choices.splitlines() if line.strip()]
        return next((i for i, line in enumerate(lines) if line.startswith("*")), None)

    def clean(self):
        lines = [line.strip() for line in self.choices.splitlines() if line.strip()]
        if len(lines) < 2 or sum(line.startswith("*") for line in lines) != 1:
            raise ValidationError(
                {"choices": _('Give at least two choices and mark exactly one with "*".')}
            )


class KnowledgeCheckAttempt(models.Model):
    """An officer's scored attempt at a knowledge check, for one session. Officers see their own
    scores; the session's trainers see the pre → post change. Written by services only."""

    check_obj = models.ForeignKey(KnowledgeCheck, on_delete=models.PROTECT, related_name="attempts")
    session = models.ForeignKey(
        "training_sessions.TrainingSession", on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="knowledge_attempts"
    )
    score = models.PositiveSmallIntegerField(_("score (%)"), validators=[MaxValueValidator(100)])
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("knowledge-check attempt")
        verbose_name_plural = _("knowledge-check attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["check_obj", "session", "officer"], name="evaluation_one_attempt"
            )
        ]

    def __str__(self):
        return f"{self.officer} · {self.session.reference} · {self.score}%"
