"""The Evaluation menu in the admin: feedback results per session, question sets, knowledge
checks and course settings; plus the app's part of My training and of personal data."""

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from . import admin_views, permissions, services
from .models import CourseEvaluation, KnowledgeCheck, QuestionSet

for _model in (QuestionSet, KnowledgeCheck, CourseEvaluation):
    register_permission_policy(_model, permissions.LeadOnlyPolicy(_model))


class QuestionSetViewSet(ModelViewSet):
    model = QuestionSet
    name = "evaluation_question_sets"
    icon = "list-ul"
    menu_label = _("Question sets")
    add_to_admin_menu = False
    list_display = ["name", "is_programme_default"]
    panels = [
        FieldPanel("name"),
        FieldPanel("is_programme_default"),
        InlinePanel("questions", label=_("Questions"), min_num=1),
    ]


class KnowledgeCheckViewSet(ModelViewSet):
    model = KnowledgeCheck
    name = "evaluation_knowledge_checks"
    icon = "tick-inverse"
    menu_label = _("Knowledge checks")
    add_to_admin_menu = False
    list_display = ["course", "kind", "pass_mark"]
    panels = [
        FieldPanel("course"),
        FieldPanel("kind"),
        FieldPanel("pass_mark"),
        InlinePanel("questions", label=_("Questions"), min_num=1),
    ]


class _AuditedSave:
    """Course settings are saved through the service, which writes the audit entry."""

    def save_instance(self):
        parent = super().save_instance
        return services.save_course_settings(
            course_evaluation=self.form.instance, acting_user=self.request.user, save=parent
        )


class CourseEvaluationCreateView(_AuditedSave, generic.CreateView):
    pass


class CourseEvaluationEditView(_AuditedSave, generic.EditView):
    pass


class CourseEvaluationViewSet(ModelViewSet):
    model = CourseEvaluation
    name = "evaluation_course_settings"
    icon = "cog"
    menu_label = _("Course settings")
    add_to_admin_menu = False
    add_view_class = CourseEvaluationCreateView
    edit_view_class = CourseEvaluationEditView
    list_display = ["course", "question_set", "requires_feedback", "requires_post_test_pass"]
    form_fields = ["course", "question_set", "mode", "requires_feedback", "requires_post_test_pass"]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_results(request.user)


class EvaluationGroup(ViewSetGroup):
    menu_label = _("Evaluation")
    menu_icon = "form"
    menu_order = 260
    submenu_hook = "register_evaluation_menu_item"
    items = [QuestionSetViewSet, KnowledgeCheckViewSet, CourseEvaluationViewSet]


@hooks.register("register_evaluation_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(
        _("Feedback results"), reverse("evaluation_admin:results_index"), icon_name="form", order=0
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return EvaluationGroup()


admin_urlpatterns = [
    path("results/", admin_views.results_index, name="results_index"),
    path("results/<int:pk>/", admin_views.session_results, name="session_results"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "evaluation-results/",
            include((admin_urlpatterns, "evaluation_admin"), namespace="evaluation_admin"),
        )
    ]


# --- My training: open feedback forms and knowledge-check scores ---------------------------


@hooks.register("muster_my_training_sections")
def my_training_evaluation(request):
    from . import selectors

    forms_open = selectors.open_forms_for(request.user)
    attempts = list(selectors.attempts_of_officer(request.user))
    certificate_missing = selectors.certificate_missing_for_officer(request.user)
    if not forms_open and not attempts and not certificate_missing:
        return None
    title = _("Feedback and knowledge checks")
    return {
        "id": "evaluation",
        "order": 25,
        "title": title,
        "html": render_to_string(
            "evaluation/my_training_section.html",
            {
                "title": title,
                "forms_open": forms_open,
                "attempts": attempts,
                "certificate_missing": certificate_missing,
            },
            request=request,
        ),
    }


# --- Personal data (privacy app collects these through hooks) -------------------------------


@hooks.register("muster_personal_data_sections")
def personal_data_evaluation(user):
    from .personal_data import sections

    return sections(user)


@hooks.register("muster_anonymise_user")
def anonymise_evaluation(user):
    from .personal_data import anonymise

    with transaction.atomic():
        anonymise(user)
