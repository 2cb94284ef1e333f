"""Demo officers who prefer Thai and Korean: signing in, they read the site, their e-mails and
their calendar feed in that language. Called once from builder.build(); deterministic."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from attendees.models import Agency, OfficerProfile
from demo import data

User = get_user_model()


def build_language_officers(demo):
    from demo.builder import mark_email_verified

    group = Group.objects.get(name=roles.OFFICER)
    for email, password, first, last, acronym, rank, language in data.LANGUAGE_OFFICERS:
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first,
            last_name=last,
            preferred_language=language,
        )
        user.groups.add(group)
        OfficerProfile.objects.create(
            user=user,
            agency=Agency.objects.get(acronym=acronym),
            rank=rank,
            verification=OfficerProfile.Verification.VERIFIED,
            verified_at=demo.now,
        )
        mark_email_verified([user])


def build_translations(demo):
    """Translate the home page, the catalogue and one course as an editor does with Wagtail's
    Translate (copy for translation, then edit and publish the copy in its locale)."""
    from django.utils.html import escape
    from wagtail.models import Locale

    course = next(page for page in demo.courses if page.code == data.TRANSLATED_COURSE)
    for language, texts in data.PAGE_TRANSLATIONS.items():
        locale = Locale.objects.get(language_code=language)
        # Parents first, so each is a translation of its own rather than a synced alias.
        catalogue_source = course.get_parent().specific
        home = catalogue_source.get_parent().specific.copy_for_translation(locale)
        catalogue = catalogue_source.copy_for_translation(locale)
        copy = course.copy_for_translation(locale)
        for page, key, field in [
            (home, "home", "introduction"),
            (catalogue, "catalogue", "introduction"),
            (copy, "course", "summary"),
        ]:
            title, text = texts[key]
            page.title = page.draft_title = title
            setattr(page, field, text)
            if key == "course":
                page.body = [{"type": "text", "value": f"<p>{escape(text)}</p>"}]
            page.save_revision().publish()


def translated_pages():
    """Lines for seed_demo: which pages the demo has in which language."""
    names = dict(settings.LANGUAGES)
    return [
        f"{names[language]}: the home page, the catalogue and {data.TRANSLATED_COURSE}"
        for language in data.PAGE_TRANSLATIONS
    ]


def who_sees_which_language():
    """Lines for seed_demo: each demo login and the language Muster shows them."""
    names = dict(settings.LANGUAGES)
    lines = []
    for _role, email, *_rest in data.LOGINS:
        user = User.objects.filter(email=email).only("preferred_language").first()
        code = user.preferred_language if user else ""
        lines.append((email, names.get(code, "") or "the browser's language (English if none)"))
    for email, _password, *_rest, language in data.LANGUAGE_OFFICERS:
        lines.append((email, names[language]))
    return lines
