"""The demo's commands refuse to run outside the dev and test profiles.

The demo publishes its passwords (README) and gives every staff login the same TOTP secret, so
demo data in a real database is an open door. Production does not install this app at all
(muster/settings/production.py inherits base.INSTALLED_APPS, which leaves it out); this guard
also holds if someone adds it back by hand.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def refuse_outside_demo_profiles():
    if not getattr(settings, "MUSTER_DEMO_DATA_ALLOWED", False):
        raise CommandError(
            _(
                "Demo data (published passwords, a fixed two-factor secret) is only for the dev "
                "and test settings; MUSTER_DEMO_DATA_ALLOWED is off here, so nothing was changed."
            )
        )
