from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    serial = forms.CharField(
        label=_("Serial"), max_length=32, help_text=_("For example LETP-2023-000123.")
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=300,  # room for the whole link pasted from the QR code
        help_text=_("The code printed under the QR code, or the end of its link."),
    )

    def clean_serial(self):
        return self.cleaned_data["serial"].strip().upper()

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        # People paste the whole link from the QR code; keep its last path segment.
        code = code.rstrip("/").rsplit("/", 1)[-1]
        if len(code) > 64:
            raise forms.ValidationError(_("This is not a verification code."))
        return code


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class OverrideForm(forms.Form):
    officer = forms.IntegerField(widget=forms.HiddenInput)
    eligible = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Eligible")), ("0", _("Not eligible")), ("", _("Follow the rule"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("eligible") is not None and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the rule is overridden."))
        return data
