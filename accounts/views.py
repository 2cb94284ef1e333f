from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import languages


@require_POST
def set_language(request):
    """The language switcher: Django's set_language (cookie, and the `next` page re-addressed
    in the chosen language), and for a signed-in person their remembered preference."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in languages.offered_languages():
        languages.set_preferred_language(user=request.user, language=code)
    return response
