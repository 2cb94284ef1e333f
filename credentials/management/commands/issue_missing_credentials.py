"""Sign credentials for certificates issued before credentials existed."""

from django.core.management.base import BaseCommand

from credentials import services


class Command(BaseCommand):
    help = "Sign an Open Badges 3.0 credential for every certificate that has none."

    def handle(self, *args, **options):
        self.stdout.write(f"Signed {services.issue_missing_credentials()} credential(s).")
