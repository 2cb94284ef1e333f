"""allauth's sign-up form, saved in one transaction (settings.ACCOUNT_FORMS["signup"]).

allauth creates the user, then calls OfficerSignupForm.signup() (profile, role, agency request),
then records the e-mail address, each in its own statement. Had any step after the first
failed, the account stayed behind without a profile: its e-mail address taken, its owner unable
ever to finish signing up. Here either all of it is written or none of it.

Kept apart from attendees/forms.py: allauth builds its SignupForm on top of
ACCOUNT_SIGNUP_FORM_CLASS, which that module defines, so importing allauth's form there would be
circular.
"""

from allauth.account.forms import SignupForm
from django.db import transaction


class AtomicSignupForm(SignupForm):
    def save(self, request):
        with transaction.atomic():
            return super().save(request)
