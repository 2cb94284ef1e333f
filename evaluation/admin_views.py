"""Staff views in the Wagtail admin: sessions with feedback, one session's results and its
feedback settings. Trainers see the sessions they train; another trainer's session is 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions.models import TrainingSession

from . import permissions, selectors, services


class SessionSettingsForm(forms.Form):
    attributed = forms.BooleanField(
        label=gettext_lazy("Attributed feedback (names stored with answers)"), required=False
    )
    reminder_days = forms.IntegerField(
        label=gettext_lazy("Remind after (days)"), min_value=0, max_value=60, required=False
    )
    close_days = forms.IntegerField(
        label=gettext_lazy("Close after (days)"), min_value=1, max_value=365, required=False
    )


def results_index(request):
    """Sessions that have ended, with how many answered, for the person's sessions."""
    if not permissions.may_see_results(request.user):
        raise PermissionDenied
    sessions = (
        permissions.sessions_for_staff(request.user)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .exclude(end_date=None)
        .select_related("course")
        .annotate(responses=Count("feedback_responses", distinct=True))
        .order_by("-end_date", "reference")
    )
    page = Paginator(sessions, 50).get_page(request.GET.get("p"))
    return render(request, "evaluation/admin/results_index.html", {"page_obj": page})


def session_results(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    if not permissions.can_see_session_results(request.user, session):
        raise Http404
    attributed, reminder_days, close_days = selectors.session_settings(session)
    form = SessionSettingsForm(
        request.POST or None,
        initial={
            "attributed": attributed,
            "reminder_days": reminder_days,
            "close_days": close_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_session_settings(
                session=session, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Feedback settings saved."))
        return redirect("evaluation_admin:session_results", pk=session.pk)
    return render(
        request,
        "evaluation/admin/session_results.html",
        {
            "session": session,
            "results": selectors.session_results(session),
            "window": selectors.feedback_window(session),
            "attributed": attributed,
            "form": form,
            "min_group": selectors.MIN_GROUP,
        },
    )
