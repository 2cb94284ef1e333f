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
