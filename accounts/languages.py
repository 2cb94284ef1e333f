"""A person's language: the one place that says which language pages, e-mails and personal
feeds use for them, and the one write that changes it."""

from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def offered_languages():
    return [code for code, _name in settings.LANGUAGES]


def language_for(user) -> str:
    """The language to write to this person in: their preference, else the site's default.

    Mail and feeds are read away from any request, so the browser cannot be asked; the
    preference is the only signal, and English (LANGUAGE_CODE) the fallback."""
    code = getattr(user, "preferred_language", "") if user is not None else ""
    return code if code in offered_languages() else settings.LANGUAGE_CODE


@contextmanager
def override_for(user):
    """Render inside this block in the person's language, whatever the current request's is."""
    with translation.override(language_for(user)):
        yield


def email_for(
    recipient, subject_template: str, body_template: str, context: dict, **options
) -> EmailMessage:
    """An e-mail to one person, its subject and body rendered in their language (whatever the
    language of the request or task that sends it), the subject on one line. `options` go to
    EmailMessage (reply_to, attachments...). Every task that e-mails a person builds it here."""
    with override_for(recipient):
        subject = render_to_string(subject_template, context)
        body = render_to_string(body_template, context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        **options,
    )


def set_preferred_language(*, user, language: str) -> None:
    """Remember a person's language, and make it the Wagtail admin's language for staff.

    Raises ValueError for a language the site does not offer."""
    if language not in offered_languages():
        raise ValueError(f"language not offered: {language!r}")
    from wagtail.users.models import UserProfile

    with transaction.atomic():
        if user.preferred_language != language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
        if user.is_staff or user.has_perm("wagtailadmin.access_admin"):
            profile = UserProfile.get_for_user(user)
            if profile.preferred_language != language:
                profile.preferred_language = language
                profile.save(update_fields=["preferred_language"])


def language_for_request(request) -> str:
    """The offered language the current request is answered in (for remembering at sign-up)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE
