"""The form a trainer or lead writes a message with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import SessionMessage

Audience = SessionMessage.Audience


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Write to"), choices=Audience.choices, widget=forms.RadioSelect
    )
    day = forms.TypedChoiceField(
        label=_("Day (for present or absent)"), coerce=int, required=False, empty_value=None
    )
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, required=False, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    registration = forms.TypedMultipleChoiceField(
        label=_("People (for the ticked ones)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=_("Subject"), max_length=services.SUBJECT_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Sent as you write it, in this language, to everyone chosen: it is not translated."
        ),
    )

    def __init__(self, *args, session, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.days = selectors.started_days(session)
        blank = [("", "—")]
        self.fields["day"].choices = blank + [(d.pk, d.date.isoformat()) for d in self.days]
        self.fields["agency"].choices = blank + list(options["agencies"])
        self.fields["country"].choices = blank + list(options["countries"])
        self.fields["registration"].choices = [
            (
                r.pk,
                f"{r.officer.get_full_name() or r.officer.email} · {r.get_status_display()}",
            )
            for r in options["people"]
        ]

    def choice(self):
        data = self.cleaned_data
        return selectors.AudienceChoice(
            kind=data["audience"],
            day_id=data.get("day"),
            agency_id=data.get("agency"),
            country=data.get("country") or "",
            registration_ids=tuple(data.get("registration") or ()),
        )

    def audience_detail(self):
        """What narrowed the audience, in words, for the record."""
        data = self.cleaned_data
        kind = data["audience"]
        if kind in (Audience.PRESENT, Audience.ABSENT) and data.get("day"):
            return dict(self.fields["day"].choices).get(data["day"], "")
        if kind == Audience.AGENCY and data.get("agency"):
            return str(dict(self.fields["agency"].choices).get(data["agency"], ""))
        if kind == Audience.COUNTRY and data.get("country"):
            return str(data["country"])
        if kind == Audience.CHOSEN:
            return ", ".join(str(pk) for pk in data.get("registration") or ())
        return ""


class SessionNoticesForm(forms.Form):
    """A session's own choice of scheduled notices; empty days mean "as the programme"."""

    joining_off = forms.BooleanField(label=_("No joining instructions"), required=False)
    joining_days = forms.IntegerField(
        label=_("Joining instructions, days before the first day"),
        min_value=0,
        max_value=30,
        required=False,
    )
    reminder_off = forms.BooleanField(label=_("No reminder"), required=False)
    reminder_days = forms.IntegerField(
        label=_("Reminder, days before the first day"), min_value=0, max_value=30, required=False
    )
    thank_you_off = forms.BooleanField(label=_("No thank-you after the last day"), required=False)
