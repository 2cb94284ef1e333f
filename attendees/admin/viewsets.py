"""The attendees app's Wagtail admin: viewsets, their views, filters and forms.

Registered in attendees/wagtail_hooks.py, which keeps only the hook registrations
(bakerydemo style).
"""

import django_filters
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from .. import admin_views
from ..models import Agency, AgencyRequest, Jurisdiction, OfficerProfile

# --- Choosers: a modal with a search box, usable with 5,000+ jurisdictions -------------------


def _search_form(*lookups):
    """A chooser filter form that searches with the ORM, so the models need no search index."""
    from django import forms

    class SearchForm(BaseFilterForm):
        q = forms.CharField(label=_("Search term"), required=False)

        def filter(self, objects):
            query = (self.cleaned_data.get("q") or "").strip()
            if query:
                condition = Q()
                for lookup in lookups:
                    condition |= Q(**{f"{lookup}__icontains": query})
                objects = objects.filter(condition)
                self.is_searching = True
                self.search_query = query
            return objects

    return SearchForm


class JurisdictionChooserViewSet(ChooserViewSet):
    model = Jurisdiction
    icon = "globe"
    choose_one_text = _("Choose a jurisdiction")
    choose_another_text = _("Choose another jurisdiction")
    per_page = 30
    ordering = ["name"]

    @property
    def choose_view_class(self):
        return _with_filter_form(super().choose_view_class, "name", "code", "parent__name")

    @property
    def choose_results_view_class(self):
        return _with_filter_form(super().choose_results_view_class, "name", "code", "parent__name")


class AgencyChooserViewSet(ChooserViewSet):
    model = Agency
    icon = "group"
    choose_one_text = _("Choose an agency")
    choose_another_text = _("Choose another agency")
    per_page = 30
    ordering = ["name"]

    @property
    def choose_view_class(self):
        return _with_filter_form(
            super().choose_view_class, "name", "acronym", "jurisdiction__name", "domains__domain"
        )

    @property
    def choose_results_view_class(self):
        return _with_filter_form(
            super().choose_results_view_class,
            "name",
            "acronym",
            "jurisdiction__name",
            "domains__domain",
        )


def _with_filter_form(view_class, *lookups):
    form_class = _search_form(*lookups)

    def get_object_list(self):
        return view_class.get_object_list(self).distinct()

    return type(
        view_class.__name__,
        (view_class,),
        {"filter_form_class": form_class, "get_object_list": get_object_list},
    )


jurisdiction_chooser = JurisdictionChooserViewSet("jurisdiction_chooser")
agency_chooser = AgencyChooserViewSet("agency_chooser")


# --- Jurisdictions -------------------------------------------------------------------------


class JurisdictionViewSet(ModelViewSet):
    model = Jurisdiction
    name = "jurisdictions"
    icon = "globe"
    menu_label = _("Jurisdictions")
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("parent", widget=jurisdiction_chooser.widget_class),
    ]
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_per_page = 50
    index_view_class = type(
        "JurisdictionIndexView",
        (generic.IndexView,),
        {"get_base_queryset": lambda self: Jurisdiction.objects.select_related("parent")},
    )


# --- Agencies ------------------------------------------------------------------------------


class AgencyFilterSet(WagtailFilterSet):
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Jurisdiction.objects.filter(kind=Jurisdiction.Kind.COUNTRY).order_by("name"),
        method="filter_country",
    )
    is_unit = django_filters.BooleanFilter(
        label=_("Unit of another agency"), field_name="parent", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Agency
        fields = ["type"]

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(jurisdiction=value) | Q(jurisdiction__parent=value))


class AgencyIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            Agency.objects.select_related("jurisdiction", "parent")
            .prefetch_related("domains")
            .annotate(officer_count=Count("officers", distinct=True))
        )

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("attendees.delete_agency"):
            buttons.append(
                HeaderButton(
                    _("Merge a duplicate"),
                    url=reverse("agencies:merge"),
                    icon_name="resubmit",
                )
            )
        return buttons


class AgencyViewSet(ModelViewSet):
    model = Agency
    name = "agencies"
    icon = "group"
    menu_label = _("Agencies")
    index_view_class = AgencyIndexView
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("acronym"), FieldPanel("type")]),
        FieldPanel("jurisdiction", widget=jurisdiction_chooser.widget_class),
        FieldPanel("parent", widget=agency_chooser.widget_class),
        MultiFieldPanel(
            [InlinePanel("domains", label=_("E-mail domain"))],
            heading=_("E-mail domains"),
            help_text=_(
                "A confirmed address on one of these domains, or on a subdomain of one "
                "(ccb.hkpf.example under hkpf.example), verifies an officer of this agency at once."
            ),
        ),
    ]
    list_display = [
        "name",
        "acronym",
        "type",
        "jurisdiction",
        "parent",
        Column("domain_list", label=_("E-mail domains")),
        Column("officer_count", label=_("Officers")),
    ]
    filterset_class = AgencyFilterSet
    search_fields = ["name", "acronym"]
    list_per_page = 50

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("merge/", admin_views.merge_agencies, name="merge"),
        ]


# --- Officers ------------------------------------------------------------------------------


class OfficerFilterSet(WagtailFilterSet):
    class Meta:
        model = OfficerProfile
        fields = ["verification"]


class OfficerIndexView(generic.IndexView):
    def get_base_queryset(self):
        return OfficerProfile.objects.select_related("user", "agency__jurisdiction")

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(
                _("Review pending officers"), url=reverse("officers:review"), icon_name="tasks"
            )
        )
        return buttons


class OfficerProfileViewSet(ModelViewSet):
    model = OfficerProfile
    name = "officers"
    icon = "user"
    menu_label = _("Officers")
    index_view_class = OfficerIndexView
    copy_view_enabled = False
    # Leads correct an officer's agency or rank here; verifying and rejecting go through the
    # review page so that each decision is recorded and e-mailed.
    panels = [FieldPanel("agency", widget=agency_chooser.widget_class), FieldPanel("rank")]
    list_display = [
        Column("user", label=_("Officer")),
        Column("email", label=_("E-mail"), accessor="user.email"),
        "agency",
        "verification",
        "created_at",
        "verification_note",
    ]
    filterset_class = OfficerFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name", "agency__name"]
    list_per_page = 50

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("review/", admin_views.review_officers, name="review"),
        ]


# --- Agency requests -----------------------------------------------------------------------


class AgencyRequestIndexView(generic.IndexView):
    def get_base_queryset(self):
        return AgencyRequest.objects.select_related("country", "officer__user")

    def get_edit_url(self, instance):
        # Leads open a request to decide it, not to edit what the officer wrote.
        return reverse("agency_requests:decide", args=[instance.pk])


class AgencyRequestFilterSet(WagtailFilterSet):
    class Meta:
        model = AgencyRequest
        fields = ["status"]


class AgencyRequestViewSet(ModelViewSet):
    model = AgencyRequest
    name = "agency_requests"
    icon = "help"
    menu_label = _("Agency requests")
    index_view_class = AgencyRequestIndexView
    copy_view_enabled = False
    form_fields = ["name", "country", "website", "email_domain", "note"]
    list_display = ["name", "country", "email_domain", "officer", "status", "created_at"]
    filterset_class = AgencyRequestFilterSet
    search_fields = ["name", "email_domain", "officer__user__email"]
    list_per_page = 50

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/decide/", admin_views.decide_agency_request, name="decide"),
        ]


class AgenciesGroup(ModelViewSetGroup):
    menu_label = _("Agencies")
    menu_icon = "group"
    menu_order = 300
    items = [AgencyViewSet, OfficerProfileViewSet, AgencyRequestViewSet, JurisdictionViewSet]
