from django.conf import settings
from django.core.management.base import BaseCommand

from demo import builder, data, languages, security
from demo.guard import refuse_outside_demo_profiles


class Command(BaseCommand):
    help = "Load the demo programme once (running it again changes nothing) and print the logins."

    def handle(self, *args, **options):
        refuse_outside_demo_profiles()
        if builder.already_loaded():
            self.stdout.write("Demo data is already loaded; nothing changed.")
        else:
            demo = builder.build()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo programme: {len(demo.courses)} courses, "
                    f"{len(demo.agencies)} agencies, {len(demo.officers)} officers, "
                    f"{sum(builder.DELIVERED_PER_YEAR.values())} delivered sessions."
                )
            )
        self.stdout.write("")
        self.stdout.write("Demo logins (sign in at /accounts/login/):")
        width = max(len(row[0]) for row in data.LOGINS)
        for role, email, password, _first, _last in data.LOGINS:
            self.stdout.write(f"  {role:<{width}}  {email:<26} {password}")
        for email, password, *_rest, language in data.LANGUAGE_OFFICERS:
            self.stdout.write(f"  {'Officer (' + language + ')':<{width}}  {email:<26} {password}")
        for email, password, *_rest, acronym, _rank, _language in data.COORDINATOR_LOGINS:
            label = f"Coordinator ({acronym})"
            self.stdout.write(f"  {label:<{width}}  {email:<26} {password}")
        self.stdout.write("")
        self.stdout.write("Who sees which language (each can switch at the top of any page):")
        for email, language_name in languages.who_sees_which_language():
            self.stdout.write(f"  {email:<26} {language_name}")
        self.stdout.write("Course content translated (every other page shows English with a note):")
        for line in languages.translated_pages():
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write(
            "Staff logins then ask for a two-factor code: run `python manage.py demo_totp` for "
            "the current one, or add this to an authenticator app:"
        )
        self.stdout.write(f"  {security.otpauth_uri()}")
        outbox = getattr(settings, "MUSTER_OUTBOX_DIR", None)
        if outbox:
            self.stdout.write(f"E-mails are written as files to {outbox}")
