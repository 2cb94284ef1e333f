"""allauth's account adapter, changed where its rate limiting met a real deployment, and so
that its e-mails go out in the recipient's language."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from .languages import offered_languages


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        """The failed-login limit per account (ACCOUNT_RATE_LIMITS["login_failed"], "/key").

        allauth keys it on get_current_site(request).domain, which without django.contrib.sites
        is the request's Host header: "muster.example", "muster.example:443" and an app server's
        own name counted apart, so varying the port multiplied the attempts an attacker had.
        The site's canonical host (a setting, MUSTER_SITE_HOST) is the same on every server
        and whatever the client sends. allauth has no public hook for this key; this private
        method is the one both counting and clearing (after a password reset) go through."""
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{settings.MUSTER_SITE_HOST}:{login}"

    def pre_authenticate(self, request, **credentials):
        """allauth answers a spent failed-login limit with a form error (200). The README
        promises 429 with Retry-After for every limit, and 503 while the counter is unreachable."""
        from django.core.exceptions import ValidationError

        from .ratelimit import handler429

        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                response = handler429(request, action="login_failed")
                raise ImmediateHttpResponse(response) from error
            raise

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
