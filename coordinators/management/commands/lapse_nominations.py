"""Lapse nominations not accepted in time, freeing their seats (run daily by cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from coordinators.services import lapse_nominations


class Command(BaseCommand):
    help = "Lapse nominations pending for more than N days and give their seats to the waitlist."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Days a nomination stays open (default NOMINATION_LAPSE_DAYS, "
            f"{settings.NOMINATION_LAPSE_DAYS}).",
        )

    def handle(self, *args, days=None, **options):
        lapsed = lapse_nominations(days=days)
        self.stdout.write(f"{len(lapsed)} nomination(s) lapsed.")
