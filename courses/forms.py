from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AudienceType, CoursePage, Language, Topic


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, read from the query string so a filtered list can be shared."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    delivery = forms.ChoiceField(label=_("Delivery"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), required=False)

    def __init__(self, data, *, delivery_formats, **kwargs):
        super().__init__(data, **kwargs)
        anything = [("", _("Any"))]
        self.fields["topic"].choices = anything + list(Topic.objects.values_list("slug", "name"))
        self.fields["level"].choices = anything + list(CoursePage.Level.choices)
        self.fields["delivery"].choices = anything + list(delivery_formats)
        # Each language named in the reader's language (Language.__str__, from CLDR).
        self.fields["language"].choices = anything + [
            (language.code, str(language))
            for language in Language.objects.filter(courses__live=True).distinct()
        ]
        self.fields["audience"].choices = anything + [
            (a.code, a.get_code_display()) for a in AudienceType.objects.all()
        ]
