from django import forms
from django.utils.translation import gettext_lazy as _

from attendees.models import Jurisdiction
from courses.models import CoursePage
from courses.translation import in_source_language
from muster.uploads import check_upload

from .figures import Filters

MIN_YEAR, MAX_YEAR = 1990, 2100


class ReportFilterForm(forms.Form):
    """The report page's filters. Every field is optional: blanks fall back to the years that
    hold delivered sessions."""

    year = forms.IntegerField(
        label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False
    )
    year_from = forms.IntegerField(
        label=_("Chart from"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False
    )
    year_to = forms.IntegerField(
        label=_("Chart to"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=False
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=in_source_language(CoursePage.objects.all()).order_by("code"),
        required=False,
        empty_label=_("All courses"),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, default_years, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_years = default_years
        first, last = default_years
        self.initial.update(year=last, year_from=first, year_to=last)
        self.fields["course"].label_from_instance = lambda page: f"{page.code} {page.title}"
        self.fields["country"].choices = [("", _("All countries"))] + list(
            Jurisdiction.objects.filter(kind=Jurisdiction.Kind.COUNTRY)
            .order_by("name")
            .values_list("code", "name")
        )

    def clean(self):
        data = super().clean()
        first, last = self.default_years
        year = data.get("year") or last
        year_from = data.get("year_from") or min(first, year)
        year_to = data.get("year_to") or max(last, year)
        if year_from > year_to:
            self.add_error("year_to", _("The chart must end after it starts."))
        elif year_to - year_from > 50:
            self.add_error("year_from", _("The chart shows at most 50 years."))
        data.update(year=year, year_from=year_from, year_to=year_to)
        return data

    def report_args(self):
        """(year, year_from, year_to, Filters) from valid data, or the defaults."""
        first, last = self.default_years
        data = self.cleaned_data if self.is_valid() else {}
        course = data.get("course")
        filters = Filters(course_id=course.pk if course else None, country=data.get("country", ""))
        return (
            data.get("year", last),
            data.get("year_from", first),
            data.get("year_to", last),
            filters,
        )


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV (UTF-8, header row) or XLSX with the columns the README lists."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    MAX_BYTES = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The file must be a .csv or .xlsx spreadsheet."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        check_upload(upload, upload.name)
        return upload
