"""allauth's account adapter, adjusted: its e-mails go out in the recipient's language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.utils import translation

from .languages import offered_languages


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """A password reset or a confirmation for someone who chose a language is written in
        it, whatever language the page that asked for it was in. Someone without a preference
        (a new sign-up, an unknown address) reads the language of the page they used."""
        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            user = get_user_model().objects.filter(email__iexact=email).first()
        code = getattr(user, "preferred_language", "")
        if code in offered_languages():
            with translation.override(code):
                return super().send_mail(template_prefix, email, context)
        return super().send_mail(template_prefix, email, context)
