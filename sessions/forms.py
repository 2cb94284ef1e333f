import datetime
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from attendees.models import Agency, Jurisdiction
from muster import dates

from .models import TrainingRequest, TrainingSession
from .schedule import services as schedule_services


@cache
def time_zone_choices():
    return [(name, name) for name in sorted(dates.time_zone_names())]


class UpcomingFilterForm(forms.Form):
    """The filters of the public list of upcoming sessions (GET)."""

    course = forms.TypedChoiceField(label=_("Course"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    delivery = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Any format")), *TrainingSession.Delivery.choices],
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("Year and month, e.g. 2030-03."),
    )

    def __init__(self, *args, courses=(), countries=(), languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", _("Any course")), *courses]
        self.fields["country"].choices = [("", _("Any country")), *countries]
        self.fields["language"].choices = [("", _("Any language")), *languages]

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        try:
            parsed = datetime.datetime.strptime(value, "%Y-%m")
        except ValueError:
            raise ValidationError(_("Enter a month as year-month, e.g. 2030-03.")) from None
        return parsed.year, parsed.month


class ViewerZoneForm(forms.Form):
    """A zone typed or picked from the suggestions the browser lists itself (the page's
    <datalist>, filled by static/js/viewer-zone.js from Intl.supportedValuesOf), so the page
    does not carry some 600 options on every request."""

    tz = forms.CharField(
        label=_("Show times also in"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "list": "time-zones",
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": _("My browser's zone"),
            }
        ),
    )

    def clean_tz(self):
        value = self.cleaned_data["tz"].strip()
        if value and value not in dates.time_zone_names():
            raise ValidationError(_("%(value)s is not an IANA time zone."), params={"value": value})
        return value


class TrainingRequestForm(forms.ModelForm):
    class Meta:
        model = TrainingRequest
        fields = [
            "course",
            "topic",
            "preferred_start",
            "preferred_end",
            "preferred_dates",
            "expected_participants",
            "delivery",
            "city",
            "notes",
        ]
        widgets = {
            "preferred_start": forms.DateInput(attrs={"type": "date"}),
            "preferred_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from courses.models import CoursePage
        from courses.translation import in_source_language

        self.fields["course"].queryset = in_source_language(CoursePage.objects.live()).order_by(
            "title"
        )
        self.fields["course"].required = False
        self.fields["expected_participants"].min_value = 1
        self.fields["expected_participants"].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        if not data.get("course") and not (data.get("topic") or "").strip():
            raise ValidationError(_("Choose a course or describe the topic you need."))
        start, end = data.get("preferred_start"), data.get("preferred_end")
        if start and end and end < start:
            self.add_error("preferred_end", _("The latest date must not be before the earliest."))
        if data.get("expected_participants") is not None and data["expected_participants"] < 1:
            self.add_error("expected_participants", _("Expect at least one participant."))
        return data


# --- Admin forms ---------------------------------------------------------------------------


class TrainingSessionAdminForm(WagtailAdminModelForm):
    """The session form with its days inline. Refuses a trainer clash before anything is saved:
    the days and trainers checked are the ones in the submitted form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from accounts import roles

        if "time_zone" in self.fields:
            self.fields["time_zone"].widget = forms.Select(choices=time_zone_choices())
        # Thousands of jurisdictions, agencies and officers: searched, not listed (choices.py).
        from .admin.choices import SearchSelectMultiple

        for name, kind in (
            ("eligible_jurisdictions", "jurisdiction"),
            ("eligible_agencies", "agency"),
            ("invited_officers", "officer"),
        ):
            if name in self.fields:
                widget = SearchSelectMultiple(kind)
                widget.choices = self.fields[name].choices
                self.fields[name].widget = widget
        if "host_agency" in self.fields:
            from attendees.admin.viewsets import agency_chooser

            self.fields["host_agency"].widget = agency_chooser.widget_class()
        if "trainers" in self.fields:
            self.fields["trainers"].queryset = (
                get_user_model()
                .objects.filter(groups__name=roles.TRAINER)
                .order_by("last_name", "first_name", "email")
            )
            self.fields["trainers"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["trainers"].choices
            )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Registration must close after it opens."))
        zone = data.get("time_zone")
        days_formset = self.formsets.get("days")
        if not zone or days_formset is None or not days_formset.is_valid():
            return data
        days = []
        for form in days_formset.forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if not cleaned or cleaned.get("DELETE"):
                continue
            if cleaned.get("date") and cleaned.get("start_time") and cleaned.get("end_time"):
                days.append(
                    schedule_services.PlannedDay(
                        cleaned["date"], cleaned["start_time"], cleaned["end_time"]
                    )
                )
        status = self.instance.status if self.instance.pk else TrainingSession.Status.DRAFT
        if status == TrainingSession.Status.CANCELLED:
            return data
        trainers = list(data.get("trainers") or [])
        trainer_ids = {trainer.pk for trainer in trainers}
        from . import permissions

        if self.for_user and not permissions.sees_all_sessions(self.for_user):
            if self.instance.pk and self.for_user.pk not in trainer_ids:
                # They would lose the session they are editing; a programme lead reassigns it.
                self.add_error(
                    "trainers",
                    _("You cannot remove yourself; ask a programme lead to reassign the session."),
                )
                return data
            # A trainer who creates a session becomes its trainer (record_admin_save).
            trainer_ids.add(self.for_user.pk)
        messages = schedule_services.find_trainer_clashes(
            session=self.instance, days=days, trainer_ids=trainer_ids, time_zone=zone
        )
        if messages:
            raise ValidationError(messages)
        return data


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when cancelling; shown on the session page."),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = schedule_services.TRANSITIONS[TrainingSession.Status(session.status)]
        self.fields["status"].choices = [
            (value, label) for value, label in TrainingSession.Status.choices if value in allowed
        ]


class ScheduleAgainForm(forms.Form):
    first_date = forms.DateField(
        label=_("New first day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Every day moves by the same number of days; times stay the same."),
    )
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=32,
        help_text=_("Leave blank for the next free one, e.g. 2031-HK-004."),
    )


class DeclineRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the requester."),
    )


class HeadcountForm(forms.Form):
    """One line of a session's headcount: an agency or a jurisdiction, and how many came."""

    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.order_by("name"), required=False
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction"),
        queryset=Jurisdiction.objects.order_by("name"),
        required=False,
    )
    count = forms.IntegerField(label=_("Number of people"), min_value=0)

    def clean(self):
        data = super().clean()
        if bool(data.get("agency")) == bool(data.get("jurisdiction")):
            raise forms.ValidationError(_("Choose an agency or a jurisdiction, not both."))
        return data


class WalkInAgencyForm(forms.Form):
    """The agency of a walk-in, chosen from the agencies Muster knows (roll call)."""

    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label=_("(their profile's agency)"),
        help_text=_("Needed for someone new to Muster; someone known keeps their own."),
    )
