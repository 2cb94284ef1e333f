from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Collection, Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from attendees.models import Agency

from .blocks import CourseBodyBlock
from .translation import ReadersLanguagePage, in_source_language

# Restricted documents live in this collection; a data migration creates it with a view
# restriction so Wagtail's own document URL refuses them (see courses/wagtail_hooks.py too).
RESTRICTED_COLLECTION_NAME = "Restricted course materials"


def restricted_collection():
    return Collection.objects.filter(depth=2, name=RESTRICTED_COLLECTION_NAME).first()


@register_snippet
class Topic(models.Model):
    """A subject a course covers (blockchain tracing, ransomware...). Editors manage topics."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_snippet
class Language(models.Model):
    """A language a course is taught in. A migration loads the common ones; editors add more."""

    code = models.CharField(
        _("code"), max_length=16, unique=True, help_text=_("A BCP 47 tag, for example en or th.")
    )
    name = models.CharField(_("name"), max_length=100)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self):
        # Named in the reader's language from CLDR ("ไทย" to a Thai reader); the editor's name
        # when CLDR does not know the code.
        from muster.dates import language_name

        named = language_name(self.code)
        return self.name if named == self.code else named


class AudienceType(models.Model):
    """A kind of agency a course is written for, one row per Agency.Type (loaded by migration).

    A table rather than a list on the page so the catalogue can filter on it in the database on
    SQLite and PostgreSQL alike.
    """

    code = models.CharField(_("agency type"), max_length=32, unique=True, choices=Agency.Type)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["code"]

    def __str__(self):
        return str(self.get_code_display())


class HomePage(ReadersLanguagePage, Page):
    """The site's front page: the programme in a few lines. Editors write the introduction."""

    introduction = models.TextField(_("introduction"), blank=True)

    translated_fields = ReadersLanguagePage.translated_fields + ("introduction",)
    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from . import session_facts
        from .translation import show_translations

        context = super().get_context(request, *args, **kwargs)
        context.update(self.show_in_readers_language())
        context["catalogue"] = in_source_language(CourseIndexPage.objects.live()).first()
        featured = list(in_source_language(CoursePage.objects.live().public()).order_by("code")[:6])
        show_translations(featured)
        context["featured_courses"] = featured
        context["upcoming_sessions"] = session_facts.upcoming_sessions(limit=5)
        return context


class CourseIndexPage(ReadersLanguagePage, Page):
    """The course catalogue: lists every published course page below it."""

    introduction = models.TextField(_("introduction"), blank=True)

    translated_fields = ReadersLanguagePage.translated_fields + ("introduction",)
    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from accounts import roles

        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(self.show_in_readers_language())
        context.update(selectors.catalogue(self, request.GET))
        context["may_request_training"] = roles.may_request_training(request.user)
        return context


# The value of CoursePage.certificate_template that means the course gives no certificate.
NO_CERTIFICATE = "none"


def certificate_template_choices():
    """(key, name) of every certificate template, plus "no certificate".

    The templates belong to the certificates app, which depends on courses; it lists them
    through the "muster_certificate_template_choices" hook so courses never imports it.
    """
    choices = [(NO_CERTIFICATE, _("No certificate"))]
    for fn in hooks.get_hooks("muster_certificate_template_choices"):
        choices.extend(fn())
    return choices


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("certificate_template")
        if field is not None:
            self.fields["certificate_template"] = forms.ChoiceField(
                label=field.label, help_text=field.help_text, choices=certificate_template_choices
            )


class CoursePage(ReadersLanguagePage, Page):
    """A course the programme teaches; each training session delivers one. Editors write it."""

    class Level(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    # One course, one code: its translations share it (courses/translation.py), so uniqueness
    # is checked per translation_key in clean() rather than by a unique index.
    code = models.CharField(
        _("code"), max_length=20, db_index=True, help_text=_("For example VAI-201.")
    )
    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(CourseBodyBlock(), verbose_name=_("body"), blank=True)
    level = models.CharField(
        _("level"), max_length=16, choices=Level.choices, default=Level.FOUNDATION
    )
    duration_hours = models.DecimalField(
        _("duration in hours"), max_digits=5, decimal_places=1, default=8
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    languages = ParentalManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="courses"
    )
    audiences = ParentalManyToManyField(
        AudienceType,
        verbose_name=_("audience"),
        blank=True,
        related_name="courses",
        help_text=_("The kinds of agency the course is written for."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text=_("Courses participants should have taken first."),
    )
    certificate_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the session's days an officer must attend, from 0 to 100."),
    )
    certificate_template = models.CharField(
        _("certificate template"),
        max_length=32,
        default="completion",
        help_text=_("The certificate template officers' certificates print with."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("duration_hours"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("prerequisites"),
            ],
            heading=_("Facts"),
        ),
        FieldPanel("body"),
        InlinePanel("materials", heading=_("Materials"), label=_("Material")),
        MultiFieldPanel(
            [FieldPanel("certificate_attendance_percent"), FieldPanel("certificate_template")],
            heading=_("Certificate"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("code", boost=3),
        index.AutocompleteField("code"),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = []
    base_form_class = CoursePageForm
    translated_fields = ReadersLanguagePage.translated_fields + ("summary", "body")

    class Meta:
        verbose_name = _("course page")
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_attendance_percent__gte=0)
                & Q(certificate_attendance_percent__lte=100),
                name="course_certificate_attendance_percent_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_certificate_template_display(self):
        return dict(certificate_template_choices()).get(
            self.certificate_template, self.certificate_template
        )

    def clean(self):
        super().clean()
        # Iterate: while editing, the relation is an in-memory list that cannot filter on pk.
        if self.pk and any(course.pk == self.pk for course in self.prerequisites.all()):
            raise ValidationError({"prerequisites": _("A course cannot be its own prerequisite.")})
        if (
            self.code
            and CoursePage.objects.filter(code=self.code)
            .exclude(translation_key=self.translation_key)
            .exists()
        ):
            raise ValidationError({"code": _("Another course already has this code.")})

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(self.show_in_readers_language())
        context.update(selectors.course_page(self, request))
        return context


class CourseMaterial(Orderable):
    """A document attached to a course page, with who may download it and how to handle it.

    Editors add materials on the course page; officers download them through the checked view
    in courses/views.py, never from Wagtail's document URL.
    """

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        VERIFIED = "verified", _("Verified officers")
        REGISTRANTS = "registrants", _("Registrants of this course")
        ATTENDEES = "attendees", _("Attendees of this course")

    class Label(models.TextChoices):
        # Traffic Light Protocol 2.0 labels, in their canonical spelling.
        CLEAR = "TLP:CLEAR", "TLP:CLEAR"
        GREEN = "TLP:GREEN", "TLP:GREEN"
        AMBER = "TLP:AMBER", "TLP:AMBER"
        RED = "TLP:RED", "TLP:RED"

    # Labels whose PDFs are stamped with the downloader's name on every page.
    STAMPED_LABELS = (Label.AMBER, Label.RED)

    page = ParentalKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="materials"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="course_materials",
    )
    title = models.CharField(_("title"), max_length=200)
    access = models.CharField(
        _("who may download"), max_length=16, choices=Access.choices, default=Access.VERIFIED
    )
    label = models.CharField(
        _("handling label"), max_length=16, choices=Label.choices, default=Label.GREEN
    )
    language = models.ForeignKey(
        Language,
        verbose_name=_("language"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
        help_text=_(
            "The language the document is written in. The course page lists materials in the "
            "reader's language first."
        ),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("document"),
        FieldPanel("language"),
        FieldPanel("access"),
        FieldPanel("label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")
        constraints = [
            models.CheckConstraint(
                condition=Q(access__in=["public", "verified", "registrants", "attendees"]),
                name="course_material_access_known",
            ),
            models.CheckConstraint(
                condition=Q(label__in=["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:RED"]),
                name="course_material_label_known",
            ),
            # TLP 2.0: only TLP:CLEAR information may be disclosed publicly.
            models.CheckConstraint(
                condition=~Q(access="public") | Q(label="TLP:CLEAR"),
                name="course_material_public_is_clear",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.label})"

    @property
    def is_public(self):
        return self.access == self.Access.PUBLIC

    def is_in(self, language: str) -> bool:
        """Whether the document is written in `language` (an offered code such as "zh-hant");
        "th-TH" is in Thai, "zh-hans" is not in Traditional Chinese."""
        if self.language is None:
            return False
        code = self.language.code.lower().replace("_", "-")
        return code == language or (code.split("-")[0] == language and "-" not in language)

    @property
    def is_stamped(self):
        return self.label in self.STAMPED_LABELS and self.document.file_extension == "pdf"

    def clean(self):
        super().clean()
        if self.is_public and self.label != self.Label.CLEAR:
            raise ValidationError(
                {
                    "label": _(
                        "Public material must be TLP:CLEAR: the other labels limit who may "
                        "see it. Choose who may download it, or relabel it."
                    )
                }
            )
        if self.is_public or not self.document_id:
            return
        collection = restricted_collection()
        document_collection = self.document.collection
        if collection is None or not (
            document_collection.pk == collection.pk
            or document_collection.is_descendant_of(collection)
        ):
            raise ValidationError(
                {
                    "document": _(
                        "Restricted material must be a document in the “%(name)s” collection."
                    )
                    % {"name": RESTRICTED_COLLECTION_NAME}
                }
            )


class MaterialDownload(models.Model):
    """One download of a course material: who, what and when. Written by the download view;
    programme leads and editors read the log in the admin. Never edited.

    The title, label and course code are copied so the log still reads when an editor later
    removes the material from the page.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="material_downloads",
        help_text=_("Empty for anonymous downloads of public material."),
    )
    material = models.ForeignKey(
        CourseMaterial,
        verbose_name=_("material"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="downloads",
    )
    title = models.CharField(_("title"), max_length=200)
    label = models.CharField(_("handling label"), max_length=16, choices=CourseMaterial.Label)
    course_code = models.CharField(_("course"), max_length=20)
    stamped = models.BooleanField(_("stamped"), default=False)
    downloaded_at = models.DateTimeField(_("downloaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("material download")
        verbose_name_plural = _("material downloads")
        ordering = ["-downloaded_at", "-pk"]
        indexes = [models.Index(fields=["user", "downloaded_at"])]

    def __str__(self):
        return f"{self.title} · {self.user or _('anonymous')} · {self.downloaded_at:%Y-%m-%d}"
