"""Invite attended officers to give feedback once a session's form opens, and remind those who
have not answered. Idempotent; meant for cron, e.g. hourly:

python manage.py send_feedback_invitations
"""

from django.core.management.base import BaseCommand

from evaluation import services


class Command(BaseCommand):
    help = "E-mail feedback invitations and reminders (each officer at most once of each)."

    def handle(self, *args, **options):
        invited, reminded = services.queue_feedback_invitations()
        self.stdout.write(f"{invited} invitation(s), {reminded} reminder(s) queued.")
