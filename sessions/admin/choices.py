"""Search-as-you-type for the session form's long lists (jurisdictions, agencies, invited
officers): the form renders only what is chosen, and a search box asks search_choices() for
matches. Listing all 5,301 jurisdictions made the form 850 KB and 2 s on the server."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles
from attendees.models import Agency, Jurisdiction

MAX_RESULTS = 20


def _jurisdictions(q):
    return Jurisdiction.objects.filter(Q(name__icontains=q) | Q(code__iexact=q)).order_by("name")


def _agencies(q):
    return Agency.objects.filter(Q(name__icontains=q) | Q(acronym__iexact=q)).order_by("name")


def _officers(q):
    return (
        get_user_model()
        .objects.filter(groups__name=roles.OFFICER)
        .filter(Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
        .order_by("last_name", "first_name", "email")
    )


SEARCHES = {"jurisdiction": _jurisdictions, "agency": _agencies, "officer": _officers}


def search_choices(request, kind):
    """Up to MAX_RESULTS matches as JSON {"results": [{"id", "label"}]}, for people who may
    add or edit sessions. Fewer than two characters match nothing."""
    if kind not in SEARCHES:
        raise Http404
    if not (
        request.user.has_perm("training_sessions.add_trainingsession")
        or request.user.has_perm("training_sessions.change_trainingsession")
    ):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:100]
    found = SEARCHES[kind](q)[:MAX_RESULTS] if len(q) >= 2 else []
    return JsonResponse({"results": [{"id": obj.pk, "label": str(obj)} for obj in found]})


class SearchSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes for the chosen items only, and a search box that adds more (js/)."""

    template_name = "training_sessions/widgets/search_select_multiple.html"

    class Media:
        js = ["js/search-choices.js"]

    def __init__(self, kind, attrs=None):
        super().__init__(attrs)
        self.kind = kind

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in (value or []) if str(v).isdigit()]
        queryset = self.choices.queryset.filter(pk__in=chosen) if chosen else []
        label = self.choices.field.label_from_instance
        return [
            (None, [self.create_option(name, obj.pk, label(obj), True, index, attrs=attrs)], index)
            for index, obj in enumerate(queryset)
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse("session_choices:search", args=[self.kind])
        context["widget"]["search_label"] = _("Search to add")
        context["widget"]["none_found"] = _("Nothing matches.")
        return context
