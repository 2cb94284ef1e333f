"""The sessions app's Wagtail admin: viewsets, their views, filters and forms.

Registered in sessions/wagtail_hooks.py, which keeps only the hook registrations (bakerydemo style).
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from accounts import roles

from .. import permissions
from ..forms import (
    DeclineRequestForm,
    ScheduleAgainForm,
    StatusChangeForm,
    TrainingSessionAdminForm,
)
from ..models import TrainingRequest, TrainingSession
from ..registration.selectors import with_seats_left
from ..schedule import services as schedule_services

User = get_user_model()


# --- Sessions ------------------------------------------------------------------------------


def _year_choices():
    dates = TrainingSession.objects.exclude(start_date=None).dates("start_date", "year")
    return [(d.year, str(d.year)) for d in reversed(dates)]


def _trainer_queryset(request):
    return User.objects.filter(groups__name=roles.TRAINER).order_by("last_name", "first_name")


class TrainingSessionFilterSet(WagtailFilterSet):
    year = django_filters.TypedChoiceFilter(
        label=gettext_lazy("Year"),
        field_name="start_date__year",
        choices=_year_choices,
        coerce=int,
    )
    country = django_filters.CharFilter(
        label=gettext_lazy("Country (ISO code)"), method="filter_country"
    )
    trainer = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Trainer"), field_name="trainers", queryset=_trainer_queryset
    )

    class Meta:
        model = TrainingSession
        fields = ["year", "status", "delivery", "country", "course", "trainer"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country__iexact=value.strip())


class ScopedObjectMixin:
    """Another trainer's session answers 404 in every admin view that loads one."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not permissions.can_manage_session(self.request.user, obj):
            raise Http404
        return obj


class SeatsColumn(Column):
    """Seats taken of the capacity ("12 / 30"), from the confirmed_count annotation."""

    def get_value(self, instance):
        return f"{getattr(instance, 'confirmed_count', 0)} / {instance.capacity}"


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        # The export (?export=csv|xlsx) reads this queryset too, so it is scoped the same way.
        queryset = with_seats_left(
            super().get_base_queryset().select_related("course", "host_agency")
        )
        return permissions.sessions_for_staff(self.request.user, queryset).prefetch_related(
            "trainers"
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Change status"),
                url=reverse("sessions:status", args=[instance.pk]),
                icon_name="tick",
                priority=15,
            )
        )
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                MenuItem(
                    _("Schedule again"),
                    url=reverse("sessions:schedule_again", args=[instance.pk]),
                    icon_name="copy",
                    priority=16,
                )
            )
        return buttons


class RecordSaveMixin:
    """Both admin forms finish through schedule_services.record_admin_save (instants, first and last
    dates, the creating trainer, clash check, SEQUENCE)."""

    def save_instance(self):
        instance = super().save_instance()
        schedule_services.record_admin_save(
            session=instance,
            acting_user=self.request.user,
            created=isinstance(self, generic.CreateView),
        )
        return instance


class SessionCreateView(RecordSaveMixin, generic.CreateView):
    pass


class SessionEditView(ScopedObjectMixin, RecordSaveMixin, generic.EditView):
    def get_page_subtitle(self):
        # The status is on the edit page, next to the reference.
        return f"{self.object} · {self.object.get_status_display()}"

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            HeaderButton(
                _("Change status"),
                url=reverse("sessions:status", args=[self.object.pk]),
                icon_name="tick",
            )
        )
        return buttons


class SessionDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass


class SessionHistoryView(ScopedObjectMixin, generic.HistoryView):
    pass


class SessionUsageView(ScopedObjectMixin, generic.UsageView):
    pass


class SessionActionView(WagtailAdminTemplateMixin, FormView):
    """Base of the status and schedule-again views: the session must be one the user may
    change (404 otherwise)."""

    template_name = "training_sessions/admin/action_form.html"
    header_icon = "date"
    permission = "change"

    def dispatch(self, request, pk):
        if not permissions.session_permission_policy.user_has_permission(
            request.user, self.permission
        ):
            raise PermissionDenied
        self.session = get_object_or_404(TrainingSession, pk=pk)
        if not permissions.can_manage_session(request.user, self.session):
            raise Http404
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("sessions:index"), "label": _("Training sessions")},
            {"url": reverse("sessions:edit", args=[self.session.pk]), "label": str(self.session)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)

    def get_success_url(self):
        return reverse("sessions:edit", args=[self.object.pk])


class StatusChangeView(SessionActionView):
    form_class = StatusChangeForm

    def get_page_title(self):
        return _("Change status")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "session": self.session}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_("Current status: %(status)s.") % {"status": self.session.get_status_display()},
            **kwargs,
        )

    def form_valid(self, form):
        try:
            self.object = schedule_services.change_status(
                session=self.session,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(session)s is now %(status)s.")
            % {"session": self.object.reference, "status": self.object.get_status_display()},
        )
        return redirect(self.get_success_url())


class ScheduleAgainView(SessionActionView):
    form_class = ScheduleAgainForm
    permission = "add"

    def get_page_title(self):
        return _("Schedule again")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_(
                "Copies the session with its days, times and trainers (not its registrations) "
                "to new dates, as a draft."
            ),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            self.object = schedule_services.schedule_again(
                session=self.session,
                first_date=form.cleaned_data["first_date"],
                reference=form.cleaned_data["reference"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(reference)s is a draft copy of %(original)s.")
            % {"reference": self.object.reference, "original": self.session.reference},
        )
        return redirect(self.get_success_url())


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    icon = "date"
    menu_label = gettext_lazy("Sessions")
    menu_order = 200
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    history_view_class = SessionHistoryView
    usage_view_class = SessionUsageView
    list_display = [
        "reference",
        "course",
        DateColumn("start_date", label=gettext_lazy("First day"), sort_key="start_date"),
        "city",
        "delivery",
        "status",
        SeatsColumn("seats", label=gettext_lazy("Seats taken")),
    ]
    filterset_class = TrainingSessionFilterSet
    list_export = [
        "reference",
        "course.code",
        "course.title",
        "status",
        "delivery",
        "start_date",
        "end_date",
        "time_zone",
        "venue",
        "city",
        "country",
        "capacity",
        "language",
        "host_agency",
        "trainer_names",
    ]
    export_headings = {
        "course.code": gettext_lazy("Course code"),
        "course.title": gettext_lazy("Course"),
        "trainer_names": gettext_lazy("Trainers"),
    }
    export_filename = "training-sessions"
    search_fields = ["reference", "city", "course__code", "course__title"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("reference"),
                # A plain list: the page chooser's modal is a detour for picking a course.
                FieldPanel("course", widget=forms.Select),
                FieldRowPanel([FieldPanel("delivery"), FieldPanel("language")]),
                FieldPanel("trainers"),
            ],
            heading=gettext_lazy("Session"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("time_zone"),
                InlinePanel("days", label=gettext_lazy("Days"), min_num=1),
            ],
            heading=gettext_lazy("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("join_url"),
            ],
            heading=gettext_lazy("Where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
                FieldPanel("eligibility"),
                FieldPanel("eligible_agencies"),
                FieldPanel("eligible_jurisdictions"),
                FieldPanel("invited_officers"),
                FieldPanel("seats_per_agency"),
                FieldPanel("host_agency"),
            ],
            heading=gettext_lazy("Registration"),
        ),
        FieldPanel("notes"),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=TrainingSessionAdminForm).bind_to_model(
            self.model
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("status/<int:pk>/", StatusChangeView.as_view(), name="status"),
            path("again/<int:pk>/", ScheduleAgainView.as_view(), name="schedule_again"),
        ]


# --- Training requests ---------------------------------------------------------------------


class RequestActionView(WagtailAdminTemplateMixin, FormView):
    template_name = "training_sessions/admin/action_form.html"
    header_icon = "mail"

    def dispatch(self, request, pk):
        if not permissions.can_handle_training_requests(request.user):
            raise PermissionDenied
        self.training_request = get_object_or_404(TrainingRequest, pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.training_request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(training_request=self.training_request, **kwargs)

    def run(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.run(form)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect(self.success_url_for(result))

    def success_url_for(self, result):
        return reverse("training_requests:index")


class AcceptRequestView(RequestActionView):
    form_class = forms.Form

    def get_page_title(self):
        return _("Accept training request")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_(
                "Accepting creates a draft session from this request and e-mails the requester."
            ),
            **kwargs,
        )

    def run(self, form):
        return schedule_services.accept_training_request(
            training_request=self.training_request, acting_user=self.request.user
        )

    def success_message(self, result):
        return _("Accepted. Draft session %(reference)s was created.") % {
            "reference": result.session.reference
        }

    def success_url_for(self, result):
        return reverse("sessions:edit", args=[result.session.pk])


class DeclineRequestView(RequestActionView):
    form_class = DeclineRequestForm

    def get_page_title(self):
        return _("Decline training request")

    def run(self, form):
        return schedule_services.decline_training_request(
            training_request=self.training_request,
            reason=form.cleaned_data["reason"],
            acting_user=self.request.user,
        )

    def success_message(self, result):
        return _("Declined. The requester was told why.")


class RequestIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == TrainingRequest.Status.SUBMITTED:
            buttons += [
                MenuItem(
                    _("Accept"),
                    url=reverse("training_requests:accept", args=[instance.pk]),
                    icon_name="tick",
                    priority=5,
                ),
                MenuItem(
                    _("Decline"),
                    url=reverse("training_requests:decline", args=[instance.pk]),
                    icon_name="cross",
                    priority=6,
                ),
            ]
        return buttons


class TrainingRequestViewSet(ModelViewSet):
    model = TrainingRequest
    name = "training_requests"
    icon = "mail"
    menu_label = gettext_lazy("Training requests")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = RequestIndexView
    # Officers submit requests on the public site; leads may fix the course or notes before
    # accepting (a request for a topic needs a course), but decide only through the actions.
    form_fields = ["course", "topic", "expected_participants", "delivery", "city", "notes"]
    list_display = [
        "agency",
        Column("subject", label=gettext_lazy("Course or topic")),
        "requester",
        "expected_participants",
        "status",
        DateColumn("created_at", label=gettext_lazy("Submitted")),
    ]
    list_filter = ["status", "delivery"]
    search_fields = ["topic", "city"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("accept/<int:pk>/", AcceptRequestView.as_view(), name="accept"),
            path("decline/<int:pk>/", DeclineRequestView.as_view(), name="decline"),
        ]


class SchedulingGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Scheduling")
    menu_icon = "date"
    menu_order = 200
    items = [TrainingSessionViewSet("sessions"), TrainingRequestViewSet()]
