"""Forms for officers: the sign-up fields added to allauth's form, and the profile form."""

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.languages import language_for_request, set_preferred_language
from accounts.validators import validate_plain_name

from .domains import normalise_domain
from .models import Agency, AgencyRequest, Jurisdiction, OfficerProfile
from .services import correct_own_name

# A free-text note has no length in the database (TextField): this bounds what one sign-up may
# store and what a programme lead must read.
NOTE_MAX_LENGTH = 2000


def _max_length(model, field):
    """Every sign-up field is bounded by the column it is stored in: a longer value is a form
    error, never a database error half-way through creating the account."""
    return model._meta.get_field(field).max_length


NOT_LISTED = "not-listed"


def agency_choices():
    """Agencies grouped by country (a select with optgroups works without JavaScript)."""
    groups = {}
    agencies = Agency.objects.select_related("jurisdiction__parent", "parent").order_by("name")
    for agency in agencies:
        jurisdiction = agency.jurisdiction
        if jurisdiction.kind == Jurisdiction.Kind.SUBDIVISION and jurisdiction.parent:
            group = jurisdiction.parent.name
        elif jurisdiction.kind == Jurisdiction.Kind.SUPRANATIONAL:
            group = str(_("International"))
        else:
            group = jurisdiction.name
        label = str(agency)
        if agency.parent:
            label = f"{label} — {agency.parent.name}"
        groups.setdefault(group, []).append((str(agency.pk), label))
    return [
        ("", _("Choose your agency")),
        (_("Not in this list"), [(NOT_LISTED, _("My agency is not listed"))]),
        *sorted(groups.items()),
    ]


class OfficerSignupForm(forms.Form):
    """Extra fields of the sign-up form (settings.ACCOUNT_SIGNUP_FORM_CLASS).

    allauth adds e-mail and passwords and calls `signup()` once the user exists.
    """

    first_name = forms.CharField(
        label=_("First name"),
        max_length=_max_length(get_user_model(), "first_name"),
        validators=[validate_plain_name],
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=_max_length(get_user_model(), "last_name"),
        validators=[validate_plain_name],
    )
    rank = forms.CharField(
        label=_("Rank or title"),
        max_length=_max_length(OfficerProfile, "rank"),
        validators=[validate_plain_name],
        required=False,
        help_text=_("For example Senior Inspector, Prosecutor, Analyst."),
    )
    agency = forms.ChoiceField(
        label=_("Agency"),
        help_text=_(
            "Use the e-mail address your agency gave you: an address on your agency's domain "
            "verifies you at once."
        ),
        widget=forms.Select(
            attrs={"data-agency-picker": "", "data-filter-label": _("Filter agencies")}
        ),
    )
    request_name = forms.CharField(
        label=_("Name of your agency"),
        max_length=_max_length(AgencyRequest, "name"),
        required=False,
        validators=[validate_plain_name],
    )
    request_country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Jurisdiction.objects.filter(kind=Jurisdiction.Kind.COUNTRY).order_by("name"),
        required=False,
    )
    request_website = forms.URLField(
        label=_("Website"),
        max_length=_max_length(AgencyRequest, "website"),
        required=False,
        assume_scheme="https",
    )
    request_domain = forms.CharField(
        label=_("E-mail domain"),
        max_length=_max_length(AgencyRequest, "email_domain"),
        required=False,
        help_text=_("The part after @ in your agency's addresses, e.g. police.example.org."),
    )
    request_note = forms.CharField(
        label=_("Anything the programme should know"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
    )

    REQUEST_FIELDS = [
        "request_name",
        "request_country",
        "request_website",
        "request_domain",
        "request_note",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices()

    def clean_request_domain(self):
        value = self.cleaned_data.get("request_domain", "")
        if not value.strip():
            return ""
        try:
            return normalise_domain(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("agency")
        cleaned["agency_obj"] = None
        if choice == NOT_LISTED:
            if not cleaned.get("request_name", "").strip():
                self.add_error("request_name", _("Give the name of your agency."))
            if not cleaned.get("request_country"):
                self.add_error("request_country", _("Choose the country of your agency."))
        elif choice:
            cleaned["agency_obj"] = Agency.objects.filter(pk=choice).first()
            if cleaned["agency_obj"] is None:
                self.add_error("agency", _("Choose an agency from the list."))
        return cleaned

    def signup(self, request, user):
        from .services import sign_up_officer

        data = self.cleaned_data
        user.first_name = data["first_name"].strip()
        user.last_name = data["last_name"].strip()
        # The language they signed up in is the one to write to them in, until they choose.
        user.preferred_language = language_for_request(request)
        user.save(update_fields=["first_name", "last_name", "preferred_language"])
        agency_request = None
        if data["agency"] == NOT_LISTED:
            agency_request = {
                "name": data["request_name"].strip(),
                "country": data["request_country"],
                "website": data["request_website"],
                "email_domain": data["request_domain"],
                "note": data["request_note"].strip(),
            }
        sign_up_officer(
            user=user,
            agency=data["agency_obj"],
            rank=data.get("rank", ""),
            agency_request=agency_request,
            acting_user=user,
        )


def time_zone_choices():
    return [("", _("From my browser"))] + [
        (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
    ]


def language_choices():
    # Each language named in its own script, as in the switcher.
    return [("", _("From my browser"))] + list(settings.LANGUAGES)


class OfficerProfileForm(forms.ModelForm):
    """What officers may change themselves: their name as it prints on certificates (and its
    order), rank, time zone and language (their agency is verified)."""

    first_name = forms.CharField(
        label=_("Given name"), max_length=150, required=False, validators=[validate_plain_name]
    )
    last_name = forms.CharField(
        label=_("Family name"), max_length=150, required=False, validators=[validate_plain_name]
    )
    family_name_first = forms.BooleanField(
        label=_("Write my family name first"),
        required=False,
        help_text=_("As in “Chan Tai Man”: certificates and rosters print the family name first."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False, choices=time_zone_choices)
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=language_choices,
        help_text=_("Pages, e-mails and calendar entries are shown in this language."),
    )

    class Meta:
        model = OfficerProfile
        fields = ["rank"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["family_name_first"].initial = user.family_name_first
        self.fields["time_zone"].initial = user.time_zone
        self.fields["rank"].validators.append(validate_plain_name)
        self.fields["preferred_language"].initial = self.instance.user.preferred_language

    def clean(self):
        data = super().clean()
        if not (data.get("first_name", "").strip() or data.get("last_name", "").strip()):
            self.add_error(
                "last_name", _("Give your name as it should print on your certificates.")
            )
        return data

    def save(self, commit=True):
        profile = super().save(commit=commit)
        # The name prints on certificates: corrected through the audited service.
        correct_own_name(
            user=profile.user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            family_name_first=self.cleaned_data["family_name_first"],
            acting_user=profile.user,
        )
        profile.user.refresh_from_db()
        profile.user.time_zone = self.cleaned_data["time_zone"]
        profile.user.save(update_fields=["time_zone"])
        language = self.cleaned_data["preferred_language"]
        if language:
            set_preferred_language(user=profile.user, language=language)
        elif profile.user.preferred_language:
            profile.user.preferred_language = ""
            profile.user.save(update_fields=["preferred_language"])
        return profile


# --- Admin forms (programme leads) ---------------------------------------------------------


class AgencyMergeForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Duplicate agency (will be deleted)"), queryset=Agency.objects.all()
    )
    target = forms.ModelChoiceField(
        label=_("Agency to keep (receives everything)"), queryset=Agency.objects.all()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .admin.viewsets import agency_chooser

        for name in ("source", "target"):
            self.fields[name].widget = agency_chooser.widget_class()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("source") == cleaned.get("target"):
            raise forms.ValidationError(_("Choose two different agencies."))
        return cleaned


class OfficerDecisionForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers"),
        queryset=OfficerProfile.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    decision = forms.ChoiceField(
        choices=[("verify", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason for rejection (the officers read it)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: the officers read it."))
        return cleaned


class AgencyRequestDecisionForm(forms.Form):
    ATTACH, CREATE, REJECT = "attach", "create", "reject"
    action = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (ATTACH, _("Attach the officer to an existing agency")),
            (CREATE, _("Create the agency and attach the officer")),
            (REJECT, _("Reject the request (the officer is rejected and e-mailed)")),
        ],
    )
    agency = forms.ModelChoiceField(
        label=_("Existing agency"), queryset=Agency.objects.all(), required=False
    )
    type = forms.ChoiceField(label=_("Type of the new agency"), choices=Agency.Type.choices)
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction of the new agency"),
        queryset=Jurisdiction.objects.all(),
        required=False,
    )
    domain = forms.CharField(label=_("E-mail domain of the new agency"), required=False)
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .admin.viewsets import agency_chooser, jurisdiction_chooser

        self.fields["agency"].widget = agency_chooser.widget_class()
        self.fields["jurisdiction"].widget = jurisdiction_chooser.widget_class()
        self.fields["type"].required = False

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.ATTACH and not cleaned.get("agency"):
            self.add_error("agency", _("Choose the agency."))
        if action == self.CREATE and not cleaned.get("jurisdiction"):
            self.add_error("jurisdiction", _("Choose the jurisdiction."))
        if action == self.CREATE and not cleaned.get("type"):
            self.add_error("type", _("Choose the type."))
        if action == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: the officer reads it."))
        return cleaned
