from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def offered_languages():
    """(code, name) for each offered language, the name in its own script and never
    translated: {% get_available_languages %} would put "English" into the page's language."""
    return settings.LANGUAGES
