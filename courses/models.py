from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import CourseBodyBlock


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


class HomePage(Page):
    """The site's front page: the programme in a few lines. Editors write the introduction."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = CourseIndexPage.objects.live().first()
        context["featured_courses"] = CoursePage.objects.live().public().order_by("code")[:6]
        return context


class CourseIndexPage(Page):
    """The course catalogue: lists every published course page below it."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.child_of(self).live().public().order_by("code")
        return context


class CoursePage(Page):
    """A course the programme teaches; each training session delivers one. Editors write it."""

    class Level(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("For example VAI-201.")
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

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        FieldPanel("summary"),
        FieldPanel("level"),
        FieldPanel("duration_hours"),
        FieldPanel("topics"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("code", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("course page")

    def __str__(self):
        return f"{self.code} {self.title}"
